"""`lamina migrate lint`: what a migration does to data, locks and deployed code.

A migration script is split into statements (the splitter `db execute` and deploy use); each
statement is checked by the rule families, one module each:

- `destructive` (L1xx, error): data that a statement destroys;
- `locking` (L2xx, warning, PostgreSQL): statements that hold a lock a busy table feels;
- `compat` (L3xx, warning): names that code still deployed (the previous release) uses;
- `mysql` (L4xx, warning, MySQL/MariaDB): statements that copy the whole table;
- `galera` (L5xx, MySQL/MariaDB when the target is a Galera cluster): what a cluster does differently.

Each rule has a code, a severity and a why. A finding names the migration, the line where its
statement starts, and the statement's first line. `-- lamina-lint: ignore L101 reason` in the
comments before a statement (or on its last line) suppresses that code for it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamina.migrate.lint.sizes import TableSize

SEVERITIES = ("info", "warning", "error")
_IGNORE = re.compile(r"--\s*lamina-lint:\s*ignore\s+((?:L\d{3}[\s,]*)+)(.*)$", re.I | re.M)
_COMMENTS = re.compile(r"^(\s*(--[^\n]*(\n|$)|/\*.*?\*/))*", re.S)


@dataclass
class Finding:
    code: str
    severity: str
    message: str
    migration: str
    line: int
    statement: str  # the statement's first line

    @property
    def rule(self) -> str:  # the rule's code (L101...), by the name the API documents
        return self.code

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Statement:
    sql: str  # without leading comments
    comments: str  # the leading comments (suppressions live there)
    line: int  # 1-based line of the statement's first non-comment line


@dataclass
class Script:
    """What the rules may know about the whole script."""

    provider: str
    statements: list[Statement]
    created_tables: set[str] = field(default_factory=set)  # tables CREATEd in this script
    warnings: str = ""  # Prisma's /* Warnings: */ block, if any
    galera: bool = False  # the target is a Galera cluster (the L5xx rules apply)
    sizes: dict[str, TableSize] | None = None  # estimated table sizes, when lint read a database (sizes.py)
    small_table_rows: int = 0  # below it, a locking finding is info


def ident(text: str) -> str:
    """A quoted or bare identifier without its quotes (the last part of a qualified name)."""
    text = text.strip().rstrip(";").split(".")[-1].strip()  # `\S+` after a name takes the statement's `;`
    if text[:1] in ('"', "`") and text[-1:] == text[:1]:
        return text[1:-1]
    return text


_CREATE_TABLE = re.compile(r"^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:[\"`]?[\w]+[\"`]?\.)?[\"`]?[^\s(\"`]+[\"`]?)",
                           re.I)


def parse(text: str, provider: str) -> Script:
    from lamina.db.split import split_statements

    pieces = split_statements(text, provider)
    statements: list[Statement] = []
    offset = 0
    for piece in pieces:
        stripped = piece.strip()
        at = text.find(stripped, offset)
        if at < 0:
            at = offset
        lead = _COMMENTS.match(stripped)
        lead_text = lead.group(0) if lead else ""
        body = stripped[len(lead_text):]
        comments = lead_text
        if statements and "\n" not in text[offset:at] and "\n" in comments:
            # `stmt; -- lamina-lint: ignore ...` on one line: the comment is the previous statement's
            first, comments = comments.split("\n", 1)
            statements[-1].comments += "\n" + first
        offset = at + len(stripped)
        line = text.count("\n", 0, at + len(lead_text) + len(body) - len(body.lstrip())) + 1
        statements.append(Statement(body.strip(), comments, line))
    script = Script(provider, statements)
    for st in statements:
        m = _CREATE_TABLE.match(st.sql)
        if m:
            script.created_tables.add(ident(m.group(1)))
    m = re.search(r"/\*\s*Warnings:(.*?)\*/", text, re.S)
    script.warnings = m.group(1) if m else ""
    return script


def _suppressed(st: Statement) -> set[str]:
    codes: set[str] = set()
    last_line = st.sql.rsplit("\n", 1)[-1]
    for m in _IGNORE.finditer(st.comments + "\n" + last_line):
        codes |= set(re.findall(r"L\d{3}", m.group(1).upper()))
    return codes


def lint_script(text: str, provider: str, migration: str = "", galera: bool = False,
                sizes: dict[str, TableSize] | None = None, small_table_rows: int = 0) -> list[Finding]:
    from lamina.migrate.lint import compat, destructive, galera as galera_rules, locking, mysql

    script = parse(text, provider)
    script.galera = galera
    script.sizes, script.small_table_rows = sizes, small_table_rows
    findings: list[Finding] = []
    for st in script.statements:
        ignored = _suppressed(st)
        for family in (destructive, locking, compat, mysql, galera_rules):
            for code, severity, message in family.check(st, script):
                if code not in ignored:
                    first = st.sql.split("\n", 1)[0].strip()
                    findings.append(Finding(code, severity, message, migration, st.line, first))
    return findings


def at_or_above(findings: list[Finding], level: str) -> list[Finding]:
    floor = SEVERITIES.index(level)
    return [f for f in findings if SEVERITIES.index(f.severity) >= floor]


def format_text(findings: list[Finding]) -> str:
    lines = [f"{f.migration}:{f.line}  {f.code} {f.severity}  {f.message}\n    {f.statement}" for f in findings]
    return "\n".join(lines)
