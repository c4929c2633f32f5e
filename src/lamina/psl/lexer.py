"""Single-pass lexer for the Prisma Schema Language.

Prisma's grammar is line-oriented: no construct (field, attribute, argument list, property)
may continue on the next line, and a line that does not parse as a whole is reported once
and skipped. So the lexer hands the parser *lines*: each a list of tokens, with the offsets
the parser needs for spans (where the line's content starts, where it ends, and where it ends
including its newline).

`/* ... */` comments may span lines (the lines they cover merge into one). Prisma accepts them
only as whole-line or trailing comments (`url = env("X") /* note */`); one followed by more
tokens makes its line invalid, as it does in Prisma.
"""

from __future__ import annotations

import re

# A token is a tuple (kind, text, start, end): tuples keep the lexer and parser fast (a
# 1,000-model schema is ~150,000 tokens). Kinds are one-character strings; punctuation's kind
# is its own text (`@`, `@@`, `{`, `}`, `(`, `)`, `[`, `]`, `,`, `:`, `=`, `?`, `!`, `.`).
WORD = "w"  # identifier: starts with a letter or digit, then letters, digits, `_`, `-`
NUMBER = "n"  # -?digits(.digits)?
STRING = "s"  # a complete "..." literal
BAD_STRING = "b"  # an unterminated string literal (always a syntax error)
DOC_COMMENT = "d"  # /// ... (to the end of the line)
COMMENT = "c"  # // ...
BLOCK_COMMENT = "k"  # /* ... */ ending its line
OTHER = "o"  # any other character (always a syntax error)
END = "$"  # the sentinel closing every line's token list
COMMENTS = (COMMENT, DOC_COMMENT, BLOCK_COMMENT)


_TOKEN_RE = re.compile(
    r"""
    [^\S\r\n]*
    (?:
      (?P<k>/\*(?:[^*]|\*(?!/))*\*/)
    | (?P<nl>\r\n|\r|\n)
    | (?P<d>///[^\r\n]*)
    | (?P<c>//[^\r\n]*)
    | (?P<s>"(?:[^"\\\r\n]|\\[^\r\n])*")
    | (?P<b>"[^\r\n]*)
    | (?P<n>-?\d+(?:\.\d+)?)(?![\w.-])
    | (?P<w>[^\W_][\w-]*)
    | (?P<p>@@|[@{}()\[\],:=?!.])
    | (?P<o>[^\s])
    )
    """,
    re.VERBOSE,
)
# The same without `/* */`: used past the last `*/` of a text, where a `/*` can only be
# unterminated. (Trying the comment there would rescan to the end of the text for every `/*`.)
_TOKEN_NO_BLOCK_RE = re.compile(_TOKEN_RE.pattern.replace(r"(?P<k>/\*(?:[^*]|\*(?!/))*\*/)", "(?P<k>(?!))"), re.VERBOSE)



class Line:
    """One physical line (or several joined by a `/* */` comment).

    `tokens` always ends with an END sentinel token, so an empty line has exactly one. Lines
    from `split_lines` tokenize on first use (the parser reads many lines without tokens).
    """

    __slots__ = ("_tokens", "start", "end", "end_nl", "_text")

    def __init__(self, tokens: list | None, start: int, end: int, end_nl: int, text: str = "") -> None:
        self._tokens = tokens
        self.start = start  # offset of the line's first character
        self.end = end  # offset just past the line's content (before the newline)
        self.end_nl = end_nl  # offset just past the newline (== end on a last line without one)
        self._text = text

    @property
    def tokens(self) -> list:
        tokens = self._tokens
        if tokens is None:
            tokens = self._tokens = _tokenize_range(self._text, self.start, self.end)
        return tokens

    @property
    def tokenized(self) -> bool:
        return self._tokens is not None


def _tokenize_range(text: str, start: int, end: int) -> list:
    """Tokens of one line without newlines or `/* */` comments (see `split_lines`)."""
    tokens: list[tuple] = []
    append = tokens.append
    for m in _TOKEN_RE.finditer(text, start, end):
        kind = m.lastgroup
        if kind is None:
            continue
        s, e = m.span(kind)
        value = text[s:e]
        append((value if kind == "p" else kind, value, s, e))
    tokens.append((END, "", end, end))
    return tokens


_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


def joins_lines(text: str) -> bool:
    """Whether a `/* */` comment may join lines of `text` into one `Line`: `split_lines` then
    tokenizes them all (`tokenize_lines`); otherwise each `Line` is one physical line."""
    return "/*" in text


def split_lines(text: str) -> list[Line]:
    """The lines of `text`, tokenized lazily; eagerly (`tokenize_lines`) if it has `/*`."""
    if joins_lines(text):
        return tokenize_lines(text)
    lines = []
    start = 0
    if "\r" not in text:
        for chunk in text.split("\n"):
            end = start + len(chunk)
            lines.append(Line(None, start, end, end + 1, text))
            start = end + 1
    else:
        for m in _NEWLINE_RE.finditer(text):
            lines.append(Line(None, start, m.start(), m.end(), text))
            start = m.end()
        lines.append(Line(None, start, len(text), len(text), text))
    last = lines[-1]
    if last.start == len(text):  # nothing after the final newline
        lines.pop()
    else:
        last.end_nl = last.end
    return lines


def tokenize_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    tokens: list = []
    line_start = 0
    append = tokens.append
    last_close = text.rfind("*/")
    pattern = _TOKEN_RE
    pos, length = 0, len(text)
    while pos < length:
        if pos > last_close:
            pattern = _TOKEN_NO_BLOCK_RE
        m = pattern.match(text, pos)
        if m is None:  # only trailing whitespace is left
            break
        pos = m.end()
        kind = m.lastgroup or ""  # every alternative of the pattern is a named group
        start, end = m.span(kind)
        if kind == "nl":
            tokens.append((END, "", start, start))
            lines.append(Line(tokens, line_start, start, end))
            tokens = []
            append = tokens.append
            line_start = end
            continue
        value = text[start:end]
        append((value if kind == "p" else kind, value, start, end))
    if tokens or line_start < len(text):
        tokens.append((END, "", len(text), len(text)))
        lines.append(Line(tokens, line_start, len(text), len(text)))
    return lines


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
