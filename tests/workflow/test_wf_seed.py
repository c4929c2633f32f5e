"""`db seed` runs `python seed.py` with the interpreter Lamina runs under, whatever `python`
comes first on PATH (an unactivated venv, a pipx install)."""

from __future__ import annotations

import os
import sys

from wf_helpers import make_project


def test_seed_uses_lamina_interpreter_not_the_first_python_on_path(tmp_path):
    p = make_project(tmp_path, "sqlite", "file:./dev.db")
    (p.root / "pyproject.toml").write_text('[tool.lamina]\nseed = "python seed.py"\n')
    (p.root / "seed.py").write_text("import sys, lamina\nprint('seeded by', sys.executable)\n")
    decoy = tmp_path / "decoy-bin"
    decoy.mkdir()
    (decoy / "python").write_text("#!/bin/sh\necho 'the wrong python' >&2\nexit 3\n")
    (decoy / "python").chmod(0o755)
    r = p.run("db", "seed", env={"PATH": f"{decoy}{os.pathsep}/usr/bin{os.pathsep}/bin"})
    assert r.code == 0, r.both
    assert "the wrong python" not in r.both
    assert f"seeded by {os.path.join(os.path.dirname(sys.executable), 'python')}" in r.out
