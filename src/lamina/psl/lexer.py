"""Single-pass lexer for the Prisma Schema Language.

Prisma's grammar is line-oriented: no construct (field, attribute, argument list, property)
may continue on the next line, and a line that does not parse as a whole is reported once
and skipped. So the lexer hands the parser *lines*: each a list of tokens, with the offsets
the parser needs for spans (where the line's content starts, where it ends, and where it ends
including its newline).

`/* ... */` comments may span lines (the lines they cover merge into one). One that ends its line
(a whole-line comment, or a trailing comment as in `url = env("X") /* note */`) is a
BLOCK_COMMENT token; one followed by other tokens on its line is dropped like whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Token kinds (plain strings: cheap to compare, readable in tests).
WORD = "word"  # identifier: starts with a letter or digit, then letters, digits, `_`, `-`
NUMBER = "number"  # -?digits(.digits)?
STRING = "string"  # a complete "..." literal
BAD_STRING = "bad_string"  # an unterminated string literal (always a syntax error)
DOC_COMMENT = "doc_comment"  # /// ... (to the end of the line)
COMMENT = "comment"  # // ...
BLOCK_COMMENT = "block_comment"  # /* ... */ ending its line
PUNCT = "punct"  # one of @@ @ { } ( ) [ ] , : = ? ! .
OTHER = "other"  # any other character (always a syntax error)

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>[^\S\r\n]+)
  | (?P<block>/\*(?:[^*]|\*(?!/))*\*/)
  | (?P<nl>\r\n|\r|\n)
  | (?P<doc>///[^\r\n]*)
  | (?P<comment>//[^\r\n]*)
  | (?P<string>"(?:[^"\\\r\n]|\\[^\r\n])*")
  | (?P<bad_string>"[^\r\n]*)
  | (?P<number>-?\d+(?:\.\d+)?)(?![\w.-])
  | (?P<word>[^\W_][\w-]*)
  | (?P<punct>@@|[@{}()\[\],:=?!.])
  | (?P<other>.)
    """,
    re.VERBOSE,
)

_KINDS = {
    "doc": DOC_COMMENT,
    "comment": COMMENT,
    "block": BLOCK_COMMENT,
    "string": STRING,
    "bad_string": BAD_STRING,
    "number": NUMBER,
    "word": WORD,
    "punct": PUNCT,
    "other": OTHER,
}


@dataclass(slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Line:
    """One physical line (or several joined by a `/* */` comment)."""

    tokens: list[Token]
    start: int  # offset of the line's first character
    end: int  # offset just past the line's content (before the newline)
    end_nl: int  # offset just past the newline (== end on the last line without one)

    @property
    def content_start(self) -> int:
        """Offset of the first token (Prisma's catch-all spans start there)."""
        return self.tokens[0].start if self.tokens else self.end


def tokenize_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    tokens: list[Token] = []
    line_start = 0
    append = tokens.append
    for m in _TOKEN_RE.finditer(text):
        group = m.lastgroup
        if group == "ws":
            continue
        if group == "nl":
            start = m.start()
            lines.append(Line(_drop_inner_block_comments(tokens), line_start, start, m.end()))
            tokens = []
            append = tokens.append
            line_start = m.end()
            continue
        append(Token(_KINDS[group], m.group(), m.start(), m.end()))
    if tokens or line_start < len(text):
        lines.append(Line(_drop_inner_block_comments(tokens), line_start, len(text), len(text)))
    return lines


def _drop_inner_block_comments(tokens: list[Token]) -> list[Token]:
    if len(tokens) < 2 or all(t.kind != BLOCK_COMMENT for t in tokens[:-1]):
        return tokens
    return [t for t in tokens[:-1] if t.kind != BLOCK_COMMENT] + tokens[-1:]


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")


def unescape_string(raw: str) -> str:
    """The value of a string literal written as `raw` (with its quotes). Never raises."""
    body = raw[1:-1] if len(raw) >= 2 and raw.endswith('"') else raw[1:]

    def replace(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] == "u" and len(esc) == 5:
            return chr(int(esc[1:], 16))
        return _ESCAPES.get(esc, esc)

    return _ESCAPE_RE.sub(replace, body) if "\\" in body else body
