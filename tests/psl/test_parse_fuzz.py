"""No input makes the parser, the diagnostics renderer or the formatter raise (hypothesis):
random text, and random mutations of Prisma's own conformance schemas."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamina.psl.format import format_schema
from lamina.psl import parser
from lamina.psl.parser import parse_schema
from lamina.psl.render import render_diagnostics

SUITES = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "prisma-engines"
SEEDS = sorted(p.read_text(encoding="utf-8") for p in SUITES.rglob("*.prisma")) if SUITES.is_dir() else []
SEEDS = SEEDS or ["model A {\n  id Int @id @default(autoincrement())\n  b B? @relation(fields: [bId], references: [id])\n}\n"]

# Characters that matter to the grammar, so that random text reaches the interesting paths.
ALPHABET = st.sampled_from(list('{}()[]@@,:=?!."\\/*-_ \t\n\rmodelenumtypeviewdatasourcegeneratorInt?[]0123456789Üé\x00'))
FAST = settings(max_examples=int(os.environ.get("LAMINA_FUZZ_EXAMPLES", "200")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _exercise(sources: list[tuple[str, str]]) -> None:
    ast, diagnostics = parse_schema(sources)
    _assert_fast_path_agrees(sources, ast, diagnostics)
    render_diagnostics(diagnostics, ast, color=True)
    render_diagnostics(diagnostics, ast, color=False)
    formatted = format_schema(sources)
    assert [name for name, _ in formatted] == [name for name, _ in sources]


def _assert_fast_path_agrees(sources, ast, diagnostics) -> None:
    """The parser's regex fast path for simple field lines builds exactly what the general path does."""
    parser._USE_FAST_PATH = False
    try:
        assert parse_schema(sources) == (ast, diagnostics)
    finally:
        parser._USE_FAST_PATH = True


@FAST
@given(st.text(ALPHABET, max_size=300))
def test_random_grammar_text(text: str) -> None:
    _exercise([("schema.prisma", text)])


@FAST
@given(st.text(max_size=200))
def test_random_unicode_text(text: str) -> None:
    _exercise([("schema.prisma", text)])


@st.composite
def mutated_schemas(draw) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "truncate_line"]))
        if op == "truncate_line":  # cut a line short: unbalanced (, [, " at the end of a line
            line_end = text.find("\n", i)
            text = text[:i] + (text[line_end:] if line_end != -1 else "")
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(ALPHABET, max_size=8)) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + text[j:] + text[i:j]
    return text


@FAST
@given(mutated_schemas())
def test_mutated_conformance_schemas(text: str) -> None:
    _exercise([("schema.prisma", text)])


@settings(max_examples=100, deadline=None)
@given(st.lists(mutated_schemas(), min_size=2, max_size=3))
def test_mutated_multi_file_schemas(texts: list[str]) -> None:
    _exercise([(f"f{i}.prisma", t) for i, t in enumerate(texts)])


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SEEDS))
def test_formatting_conformance_schemas_is_idempotent(text: str) -> None:
    [(_, once)] = format_schema([("schema.prisma", text)])
    [(_, twice)] = format_schema([("schema.prisma", once)])
    assert twice == once


def _truncations(text: str) -> str:
    """Every body line also cut short after each bracket, quote, colon, comma or `@`."""
    out = []
    for line in text.split("\n"):
        out.append(line)
        if "{" in line or "}" in line:
            continue
        out.extend(line[: k + 1] for k, ch in enumerate(line) if ch in '([":,@=.?')
    return "\n".join(out)


def test_every_line_cut_short_in_every_conformance_schema() -> None:
    # Deterministic complement to the random tests: unbalanced brackets at the end of a line
    # are where a recursive-descent parser most easily reads past its input.
    for text in SEEDS:
        _exercise([("schema.prisma", _truncations(text))])


def test_fast_path_agrees_on_every_conformance_schema() -> None:
    for text in SEEDS:
        sources = [("schema.prisma", text)]
        _assert_fast_path_agrees(sources, *parse_schema(sources))


def test_pathological_inputs_stay_fast_and_raise_nothing() -> None:
    import time

    deep = "[" * 3000 + "]" * 3000
    calls = "f(" * 3000 + ")" * 3000
    inputs = [
        f"model A {{\n  a Int @default({deep})\n  b Int @default({calls})\n}}\n",  # deep nesting
        "/*" * 20000 + "x",  # unterminated block comments: no rescanning to the end for each
        '"' * 20000,
        "model A {\n" + "  a Int @id\n" * 20000,  # an unclosed block
        "@" * 50000,
    ]
    for text in inputs:
        started = time.perf_counter()
        _exercise([("schema.prisma", text)])
        assert time.perf_counter() - started < 10
