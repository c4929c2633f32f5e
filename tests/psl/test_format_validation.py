"""`lamina format` validates the formatted schema through the tree it was laid out from instead of
parsing the formatted text again (lamina.psl.format.files). This checks that the answer is the
one the re-parse gave: the same formatted files, or the same P1012 text and warnings, on every
conformance schema, every expected output, seeded mutations of them (the fuzzers' edits), and
generated schemas whose relations need completing. `LAMINA_FORMAT_MUTATIONS` sets how many
mutations of each schema (default 4; also 50 times as many generated schemas)."""

from __future__ import annotations

import os
import random
from pathlib import Path

from lamina.psl.format import format_parsed
from lamina.psl.format.files import _format_valid
from lamina.psl.load import SchemaValidationError, parse_and_validate, validation_error_message, warnings_block
from lamina.psl.parser import parse_schema

SUITES = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "prisma-engines"
MUTATIONS = int(os.environ.get("LAMINA_FORMAT_MUTATIONS", "4"))
TOKENS = ["@id", "@unique", "@@index([", "@relation(", "fields: [", "]", ")", "(", "{", "}", "\n", "?", "[]", " Int",
          " String", "@default(", "now()", '"', "model X {\n", "enum E {\n", "@@map(", "@db.", ",", "@@id([",
          "references: [id]", "onDelete: Cascade", "@@unique([", " User", " User?", " User[]", "@relation(\"a\")",
          "@relation(fields: [aId], references: [id])", "  userId Int\n", "  user User?\n", "@map(\"x\")"]  # fmt: skip


def _schemas() -> list[list[tuple[str, str]]]:
    if not SUITES.is_dir():
        return []
    schemas = [[("schema.prisma", p.read_bytes().decode("utf-8"))] for p in sorted(SUITES.rglob("*.prisma"))]
    for folder in sorted(p for p in SUITES.rglob("*") if p.is_dir() and any(p.glob("*.prisma"))):
        files = sorted(folder.glob("*.prisma"))
        if len(files) > 1:
            schemas.append([(p.name, p.read_bytes().decode("utf-8")) for p in files])
    return schemas


def _mutate(text: str, rng: random.Random) -> str:
    """One to four of the fuzzers' edits: delete, insert a token, duplicate, swap, cut a line short."""
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(text))
        j = rng.randint(i, min(len(text), i + 40))
        op = rng.choice(["delete", "insert", "insert", "duplicate", "swap", "truncate_line"])
        if op == "truncate_line":
            line_end = text.find("\n", i)
            text = text[:i] + (text[line_end:] if line_end != -1 else "")
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + text[j:] + text[i:j]
    return text


def _by_reparsing(sources: list[tuple[str, str]]) -> tuple:
    """What `lamina format` answers by the rule, step by step: Prisma 7.10.1 completes relations
    only when the schema as written has no error before the last validation pass (none from
    the parser either), lays out the text, and validates the laid-out text in full."""
    ast, diagnostics = parse_schema(sources)
    if diagnostics.has_errors:
        formatted, _ = format_parsed(ast, parse_errors=True, complete=False)
    else:
        early_errors = parse_and_validate(sources)[1].early_errors
        formatted, _ = format_parsed(ast, parse_errors=False, complete=not early_errors)
    ast, diagnostics, _ = parse_and_validate(formatted)
    if diagnostics.has_errors:
        return ("invalid", validation_error_message(ast, diagnostics, False), warnings_block(diagnostics))
    return ("formatted", (formatted, warnings_block(diagnostics)))


def _answer(sources: list[tuple[str, str]]) -> tuple:
    try:
        return ("formatted", _format_valid(sources, False))
    except SchemaValidationError as exc:
        return ("invalid", exc.message, exc.warnings_text)


def _relation_schema(rng: random.Random) -> str:
    """Models with relation fields in every shape completion handles: missing back fields,
    missing or unknown `fields`/`references`, named relations, 1:1, self-relations, models
    keyed by `@id`, `@unique`, `@@id` or nothing."""
    names = [rng.choice(["User", "Post", "Tag"]) + str(i) for i in range(rng.randint(1, 4))]
    out = ['datasource db {\n  provider = "postgresql"\n}\n']
    for name in names:
        key = rng.choice(["id Int @id", "email String @unique @db.VarChar(20)", "a Int\n  b String"])
        lines = [key]
        for _ in range(rng.randint(0, 3)):
            target = rng.choice(names + ["Missing"])
            arity = rng.choice(["", "?", "[]"])
            relation = rng.choice(["", "", ' @relation("n")', " @relation", " @relation(onDelete: Cascade)"])
            if arity != "[]" and rng.random() < 0.4:
                fk = rng.choice([target.lower() + "Id", "a"])
                name_argument = rng.choice(["", 'name: "m", '])
                relation = f" @relation({name_argument}fields: [{fk}], references: [{rng.choice(['id', 'email', 'a'])}])"
                if rng.random() < 0.5:
                    lines.append(f"{fk} Int{rng.choice(['', '?', ' @unique'])}")
            lines.append(f"{rng.choice(['x', 'owner', target.lower()])} {target}{arity}{relation}")
        if key.startswith("a "):
            lines.append(rng.choice(["@@id([a, b])", "@@unique([a, b])", "@@unique([b])", ""]))
        out.append(f"model {name} {{\n" + "".join(f"  {line}\n" for line in lines) + "}\n")
    return "\n".join(out)


def _cases() -> list[list[tuple[str, str]]]:
    rng = random.Random(17)
    cases = [[("schema.prisma", _relation_schema(rng))] for _ in range(50 * MUTATIONS)]
    for sources in _schemas():
        cases.append(sources)
        cases.append([(name, text + "\n") for name, text in sources])  # not formatted: the re-parse path
        rng = random.Random(sources[0][1])
        for _ in range(MUTATIONS):
            k = rng.randrange(len(sources))
            cases.append([(n, _mutate(t, rng) if i == k else t) for i, (n, t) in enumerate(sources)])
    return cases


def test_validating_the_completed_tree_answers_as_the_reparse() -> None:
    differing = [sources for sources in _cases() if _answer(sources) != _by_reparsing(sources)]
    assert not differing, f"{len(differing)} schemas answered differently, first: {differing[0]!r}"
