"""Optional compiled build (issue 17): the pure-Python package unless LAMINA_MYPYC=1.

By default this adds nothing to pyproject.toml's build: `pip install lamina` and
`pip install -e .` need no compiler and install the same pure-Python source everywhere.

With LAMINA_MYPYC=1, the schema pipeline's hot modules below are also compiled with mypyc
(the same typed source, as black and mypy ship their wheels); Python imports the compiled
module where one was built and the `.py` file otherwise, so the package behaves the same either
way. See docs/performance.md ("A compiled build") for the command and what it gains:

    pip install mypy wheel
    LAMINA_MYPYC=1 pip wheel --no-build-isolation --no-deps -w dist .

Only modules that stay on the schema -> SQL path and type-check under mypy are listed. The
shared data classes (`lamina.datamodel`, `lamina.sql.schema`) stay interpreted: other parts of
Lamina and users' code build and inspect them as ordinary Python classes.
"""

from __future__ import annotations

import os

from setuptools import setup

MYPYC_MODULES = [
    "psl/ast.py",
    "psl/lexer.py",
    "psl/parser_fast.py",
    "psl/parser.py",
    "psl/names.py",
    "psl/validate/args.py",
    "psl/validate/attributes.py",
    "psl/validate/block_attributes.py",
    "psl/validate/build.py",
    "psl/validate/checks.py",
    "psl/validate/context.py",
    "psl/validate/defaults.py",
    "psl/validate/names_types.py",
    "psl/validate/relations.py",
    "psl/format/layout.py",
    "psl/format/render.py",
    "psl/format/relations.py",
    "sql/calculate.py",
    "sql/calculate_defaults.py",
    "dialects/postgres/calculate.py",
]


def ext_modules() -> list:
    if os.environ.get("LAMINA_MYPYC", "").lower() not in ("1", "true", "yes"):
        return []
    from mypyc.build import mypycify  # only the compiled build needs mypy installed

    paths = [os.path.join("src", "lamina", m) for m in MYPYC_MODULES]
    return mypycify(["--ignore-missing-imports", "--follow-imports=silent", *paths], opt_level="3")


setup(ext_modules=ext_modules())
