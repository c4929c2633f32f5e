"""Recursive-descent parser for the Prisma Schema Language.

Entry point: `parse_schema([(file_name, text), ...]) -> (SchemaAst, Diagnostics)`. It never
raises for any input; problems become diagnostics with Prisma's exact messages and spans.

How Prisma's grammar behaves, and so how this parser recovers:
- Every line is atomic. A body line that does not parse as a whole is reported once
  ("This line is not a valid field or attribute definition.", span = the line from its first
  token through its newline) and skipped; errors found inside it are then dropped.
- A block opens with `keyword Name {` on one line (anything after the `{` is ignored) and
  closes at the first later line whose first token is `}`; text after that `}` is parsed
  again as top-level content. A block that never closes is not a block: its first line is
  reported as an unknown top-level line, and the following lines are parsed at top level.
- `///` comment lines directly above a node (and a trailing `///` on its line) become its
  `documentation`; they are also kept as `CommentLine` items (text starting with "/") so that
  formatting is lossless. `/* */` comments are allowed only on their own lines or at the end
  of a line.

Speed: lines are tokenized lazily, common field and `@@` lines go through the regex fast path
of parser_fast.py, and the cyclic GC is paused while the tree is built (`paused_gc`, also
useful to callers building other large structures from the tree).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from lamina.gc_pause import gc_paused as paused_gc  # noqa: F401 - also imported from here by the formatter
from lamina.psl.ast import (
    Argument,
    ArgumentList,
    ArrayValue,
    ObjectEntry,
    ObjectValue,
    Arity,
    Attribute,
    Block,
    BlockAttributeItem,
    BlockKind,
    CommentLine,
    ConstantValue,
    EmptyLine,
    EnumValue,
    Expression,
    Field,
    FieldType,
    FunctionCall,
    Identifier,
    NumericValue,
    Property,
    SchemaAst,
    SourceFile,
    Span,
    StringValue,
    MAX_OFFSET,
    SPAN_BITS,
    at,
    at_of,
)
from lamina.psl.diagnostics import Diagnostics
from lamina.psl.lexer import (
    BLOCK_COMMENT,
    COMMENTS,
    DOC_COMMENT,
    END,
    NUMBER,
    STRING,
    WORD,
    Line,
    joins_lines,
    split_lines,
    unescape_string,
)
from lamina.psl.parser_fast import simple_block_attribute, simple_field

_BLOCK_KEYWORDS = {kind.value: kind for kind in BlockKind}

MSG_TOP_LEVEL = "Error validating: This line is invalid. It does not start with any known Prisma schema keyword."
MSG_ARBITRARY_BLOCK = (
    "Error validating: This block is invalid. It does not start with any known Prisma schema keyword. "
    "Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'."
)
MSG_MODEL_LINE = "Error validating: This line is not a valid field or attribute definition."
MSG_ENUM_LINE = "Error validating: This line is not an enum value definition."
MSG_TYPE_ALIAS = (
    "Error validating: Invalid type definition. Please check the documentation in https://pris.ly/d/composite-types"
)
MSG_LEGACY_COLON = "Field declarations don't require a `:`."
MSG_LEGACY_REQUIRED = "Fields are required by default, `!` is no longer required."
MSG_LEGACY_LIST = "To specify a list, please use `Type[]` instead of `[Type]`."
MSG_OPTIONAL_LIST = "Optional lists are not supported. Use either `Type[]` or `Type?`."

MAX_FILE_CHARS = MAX_OFFSET
MSG_TOO_LARGE = f"Error validating: This file is larger than {MAX_OFFSET:,} characters, the most a schema file may hold."

_CONTAINER_NAMES = {BlockKind.MODEL: "model", BlockKind.VIEW: "view", BlockKind.TYPE: "type"}


# The fast path for common model lines (parser_fast.py); tests switch it off to compare.
_USE_FAST_PATH = True
_WS = r"[^\S\r\n]"
# A `}` first on a line, after the newline that ends the line before it (so `[\r\n]` is that
# newline's last character: `\n` of `\r\n`).
_CLOSE_AFTER_NEWLINE_RE = re.compile(rf"[\r\n]{_WS}*\}}")
_CLOSE_RE = re.compile(rf"{_WS}*\}}")
_CLOSE_ONLY_RE = re.compile(rf"{_WS}*\}}{_WS}*")


class _Fail(Exception):
    """The current line does not parse (internal; never escapes this module)."""


_FAIL = _Fail()
_MAX_NESTING = 64  # deeper arrays/calls make the line invalid instead of exhausting the stack


def parse_schema(sources: list[tuple[str, str]]) -> tuple[SchemaAst, Diagnostics]:
    diagnostics = Diagnostics()
    files = []
    with paused_gc():
        for index, (name, text) in enumerate(sources):
            if len(text) > MAX_FILE_CHARS:  # nodes pack their offsets into 31 bits (ast.at)
                diagnostics.error(MSG_TOO_LARGE, Span(0, 0, index))
                files.append(SourceFile(name, text, []))
                continue
            files.append(_FileParser(name, text, index, diagnostics).parse())
    return SchemaAst(files), diagnostics


def _is_name(tok: tuple) -> bool:
    # Identifiers may start with a digit (`1 = 2` is a valid property line for the grammar).
    kind = tok[0]
    return kind == WORD or (kind == NUMBER and tok[1][0] != "-" and "." not in tok[1])


class _LineCursor:
    """Reads the tokens of one line (ending with the END sentinel); `_Fail` on a mismatch.

    Tokens are tuples (kind, text, start, end); punctuation's kind is its text.
    """

    __slots__ = ("toks", "pos", "file", "errors", "depth")

    def __init__(self, toks: list, pos: int, file: int) -> None:
        self.toks = toks
        self.pos = pos
        self.file = file
        self.depth = 0  # nesting of arrays and calls: bounded so that no input exhausts the stack
        self.errors: list[tuple[str, Span]] = []  # reported only if the whole line parses

    def expect(self, kind: str) -> tuple:
        tok = self.toks[self.pos]
        if tok[0] != kind:
            raise _FAIL
        self.pos += 1
        return tok

    def name(self) -> tuple:
        tok = self.toks[self.pos]
        if tok[0] != WORD and not _is_name(tok):
            raise _FAIL
        self.pos += 1
        return tok

    def path(self) -> tuple[str, int, int]:
        """`a`, `a.b.c` (no spaces around the dots)."""
        first = self.name()
        toks = self.toks
        dot = toks[self.pos]
        if dot[0] != "." or dot[2] != first[3]:
            return first[1], first[2], first[3]
        parts = [first[1]]
        end = first[3]
        while dot[0] == "." and dot[2] == end:
            nxt = toks[self.pos + 1]
            if not _is_name(nxt) or nxt[2] != dot[3]:
                raise _FAIL
            parts.append(nxt[1])
            end = nxt[3]
            self.pos += 2
            dot = toks[self.pos]
        return ".".join(parts), first[2], end

    # ------------------------------------------------------------ expressions

    def expression(self) -> Expression:
        tok = self.toks[self.pos]
        kind = tok[0]
        if kind == STRING:
            self.pos += 1
            return StringValue(unescape_string(tok[1]), tok[1], at(tok[2], tok[3], self.file))
        if kind == NUMBER:
            self.pos += 1
            return NumericValue(tok[1], at(tok[2], tok[3], self.file))
        if kind == "[":
            self._nest()
            array = self.array()
            self.depth -= 1
            return array
        if kind == "{":
            self._nest()
            obj = self.object()
            self.depth -= 1
            return obj
        if kind == WORD and not tok[1][0].isdecimal():  # `\d` in the lexer = isdecimal
            name, start, end = self.path()
            if self.toks[self.pos][0] == "(":
                self._nest()
                args = self.arguments()
                self.depth -= 1
                return FunctionCall(name, at(start, end, self.file), args, at(start, args.end, self.file))
            return ConstantValue(name, at(start, end, self.file))
        raise _FAIL

    def _nest(self) -> None:
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise _FAIL

    def array(self) -> ArrayValue:
        open_ = self.expect("[")
        items: list[Expression] = []
        toks = self.toks
        if toks[self.pos][0] != "]":
            items.append(self.expression())
            while toks[self.pos][0] == ",":
                self.pos += 1
                items.append(self.expression())
        close = self.expect("]")
        return ArrayValue(items, at(open_[2], close[3], self.file))

    def object(self) -> ObjectValue:
        """`{ key: value, ... }` (keys are names; no trailing comma, as in Prisma)."""
        open_ = self.expect("{")
        entries: list[ObjectEntry] = []
        toks = self.toks
        if toks[self.pos][0] != "}":
            entries.append(self.object_entry())
            while toks[self.pos][0] == ",":
                self.pos += 1
                entries.append(self.object_entry())
        close = self.expect("}")
        return ObjectValue(entries, at(open_[2], close[3], self.file))

    def object_entry(self) -> ObjectEntry:
        key = self.name()
        self.expect(":")
        value = self.expression()
        return ObjectEntry(Identifier(key[1], at(key[2], key[3], self.file)), value, at(key[2], value.end, self.file))

    def arguments(self) -> ArgumentList:
        open_ = self.expect("(")
        args: list[Argument] = []
        trailing_comma = False
        toks = self.toks
        if toks[self.pos][0] != ")":
            args.append(self.argument())
            while toks[self.pos][0] == ",":
                self.pos += 1
                if toks[self.pos][0] == ")":
                    trailing_comma = True
                    break
                args.append(self.argument())
        close = self.expect(")")
        return ArgumentList(args, at(open_[2], close[3], self.file), trailing_comma)

    def argument(self) -> Argument:
        tok = self.toks[self.pos]
        if tok[0] != END and self.toks[self.pos + 1][0] == ":" and _is_name(tok):
            colon = self.toks[self.pos + 1]
            self.pos += 2
            name = Identifier(tok[1], at(tok[2], tok[3], self.file))
            if self.toks[self.pos][0] in (",", ")"):
                return Argument(name, None, at(tok[2], colon[3], self.file))
            value = self.expression()
            return Argument(name, value, at(tok[2], value.end, self.file))
        value = self.expression()
        return Argument(None, value, value.at)

    def attribute(self, is_block: bool) -> Attribute:
        sigil = self.expect("@@" if is_block else "@")
        name, name_start, name_end = self.path()
        args = self.arguments() if self.toks[self.pos][0] == "(" else None
        end = args.end if args else name_end
        return Attribute(name, at(name_start, name_end, self.file), args, at(sigil[2], end, self.file), is_block)

    def field_attributes(self) -> list[Attribute]:
        attrs = []
        while self.toks[self.pos][0] == "@":
            attrs.append(self.attribute(False))
        return attrs

    def trailing_comment(self) -> str | None:
        """The optional comment ending the line, then the end of the line."""
        tok = self.toks[self.pos]
        kind = tok[0]
        if kind == END:
            return None
        if kind in COMMENTS and self.toks[self.pos + 1][0] == END:
            self.pos += 1
            return tok[1] if kind == BLOCK_COMMENT else tok[1][2:]
        raise _FAIL

    def field_type(self) -> FieldType | None:
        toks = self.toks
        tok = toks[self.pos]
        if tok[0] == "[":  # legacy `[Type]`
            self.pos += 1
            name, unsupported = self.base_type()
            close = self.expect("]")
            span = Span(tok[2], close[3], self.file)
            self.errors.append((MSG_LEGACY_LIST, span))
            return FieldType(name, at_of(span), Arity.LIST, unsupported)
        if not _is_name(tok):
            return None
        start = tok[2]
        name, unsupported = self.base_type()
        end = toks[self.pos - 1][3]
        arity = Arity.REQUIRED
        nxt = toks[self.pos]
        kind = nxt[0]
        if kind == "[" and toks[self.pos + 1][0] == "]" and toks[self.pos + 1][2] == nxt[3]:
            end = toks[self.pos + 1][3]
            self.pos += 2
            arity = Arity.LIST
            if toks[self.pos][0] == "?":
                end = self.expect("?")[3]
                self.errors.append((MSG_OPTIONAL_LIST, Span(start, end, self.file)))
        elif kind == "?":
            end = nxt[3]
            self.pos += 1
            arity = Arity.OPTIONAL
        elif kind == "!":
            end = nxt[3]
            self.pos += 1
            self.errors.append((MSG_LEGACY_REQUIRED, Span(start, end, self.file)))
        return FieldType(name, at(start, end, self.file), arity, unsupported)

    def base_type(self) -> tuple[str, StringValue | None]:
        tok = self.toks[self.pos]
        if tok[0] == END:
            raise _FAIL
        nxt = self.toks[self.pos + 1]
        if tok[1] == "Unsupported" and nxt[0] == "(" and nxt[2] == tok[3]:
            self.pos += 2
            lit = self.toks[self.pos]
            if lit[0] != STRING:
                raise _FAIL
            self.pos += 1
            self.expect(")")
            return "Unsupported", StringValue(unescape_string(lit[1]), lit[1], at(lit[2], lit[3], self.file))
        name, _, _ = self.path()
        return name, None


class _FileParser:
    def __init__(self, name: str, text: str, index: int, diagnostics: Diagnostics) -> None:
        self.name = name
        self.text = text
        self.file = index
        self.diagnostics = diagnostics
        self.lines = split_lines(text)
        self._closing: list[int] | None = None  # built on first use by _find_close

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.file)

    def error(self, message: str, start: int, end: int) -> None:
        self.diagnostics.error(message, self.span(start, end))

    def parse(self) -> SourceFile:
        items: list = []
        docs: list[str] = []
        i = 0
        lines = self.lines
        pos = 0  # token index where the current line's unread part starts
        text = self.text
        while i < len(lines):
            line = lines[i]
            if not line.tokenized:  # shortcuts that spare tokenizing blank lines and lone `}`
                if pos == 0 and (line.start == line.end or text[line.start : line.end].isspace()):
                    items.append(EmptyLine(at(line.start, line.end, self.file)))
                    docs = []
                    i += 1
                    continue
                if pos == 1 and _CLOSE_ONLY_RE.fullmatch(text, line.start, line.end):
                    i, pos = i + 1, 0
                    continue
            toks = line.tokens
            first = toks[pos]
            kind = first[0]
            if kind == END:
                if pos == 0:
                    items.append(EmptyLine(at(line.start, line.end, self.file)))
                    docs = []
                i, pos = i + 1, 0
                continue
            if kind in COMMENTS and toks[pos + 1][0] == END:
                items.append(CommentLine(first[1][2:], at(first[2], first[3], self.file)))
                if kind == DOC_COMMENT and pos == 0:
                    docs.append(_doc_text(first[1]))
                else:
                    docs = []
                i, pos = i + 1, 0
                continue
            opener = self._block_opener(toks, pos)
            if opener is not None:
                close = self._find_close(i + 1)
                if close is not None:
                    block = self._parse_block(opener, toks[pos], toks[pos + 1], toks[pos + 2], i, close, docs)
                    items.append(block)
                    docs = []
                    i, pos = close, 1  # continue after the `}` on the closing line
                    continue
            elif _is_name(first) and toks[pos + 1][0] == "{":  # `foo {`: Prisma's "arbitrary block"
                close = self._find_close(i + 1)
                if close is not None:
                    self.error(MSG_ARBITRARY_BLOCK, first[2], self._brace_end(lines[close]))
                    docs = []
                    i, pos = close, 1
                    continue
            elif first[1] == "type" and kind == WORD and toks[pos + 1][0] != END and toks[pos + 2][0] == "=":
                self.error(MSG_TYPE_ALIAS, first[2], line.end)
                docs = []
                i, pos = i + 1, 0
                continue
            self.error(MSG_TOP_LEVEL, first[2], line.end_nl)
            docs = []
            i, pos = i + 1, 0
        return SourceFile(self.name, self.text, items)

    @staticmethod
    def _block_opener(toks: list, pos: int) -> BlockKind | None:
        kw = toks[pos]
        if kw[0] != WORD or kw[1] not in _BLOCK_KEYWORDS or len(toks) - pos < 4:
            return None
        if not _is_name(toks[pos + 1]) or toks[pos + 2][0] != "{":
            return None
        return _BLOCK_KEYWORDS[kw[1]]

    def _find_close(self, i: int) -> int | None:
        """The first line at or after `i` that starts with `}`. Answered from the list of such
        lines, made once, so that a schema of unclosed blocks (`model A {` on every line) costs
        linear time instead of one scan to the end of the file per block."""
        if self._closing is None:
            self._closing = self._closing_lines()
        k = bisect_left(self._closing, i)
        return self._closing[k] if k < len(self._closing) else None

    def _brace_end(self, line: Line) -> int:
        """Where the `}` that starts closing line `line` ends, read without tokenizing the line
        (the top-level loop then often skips it without tokens too)."""
        if line.tokenized:
            return line.tokens[0][3]
        match = _CLOSE_RE.match(self.text, line.start, line.end)
        assert match is not None  # (a closing line: see _closing_lines)
        return match.end()

    def _closing_lines(self) -> list[int]:
        """The indices of the lines whose first token is `}`, in order."""
        lines = self.lines
        if joins_lines(self.text):  # every line is tokenized (and may be several joined)
            return [j for j, line in enumerate(lines) if line.tokens[0][0] == "}"]
        # split_lines: one line per physical line, whose tokens start with `}` exactly where the
        # text does; found in the text without tokenizing, by where each such line starts.
        text = self.text
        starts = [line.start for line in lines]
        found = [bisect_left(starts, m.start() + 1) for m in _CLOSE_AFTER_NEWLINE_RE.finditer(text)]
        if lines and _CLOSE_RE.match(text, 0):
            found.insert(0, 0)
        return found

    def _parse_block(
        self, kind: BlockKind, keyword: tuple, name_tok: tuple, brace: tuple, open_i: int, close_i: int, doc_lines: list[str]
    ) -> Block:
        close_end = self._brace_end(self.lines[close_i])
        items: list = []
        if kind in (BlockKind.MODEL, BlockKind.VIEW, BlockKind.TYPE):
            parse_line = self._model_line
            bad_line = MSG_MODEL_LINE
        elif kind is BlockKind.ENUM:
            parse_line = self._enum_line
            bad_line = MSG_ENUM_LINE
        else:
            parse_line = self._config_line
            bad_line = f"Error validating: This line is not a valid definition within a {kind.value}."
        block_name = name_tok[1]
        file = self.file
        diagnostics = self.diagnostics
        docs: list[str] = []
        text = self.text
        fast = _USE_FAST_PATH and parse_line == self._model_line
        fs = file << 2 * SPAN_BITS
        for line in self.lines[open_i + 1 : close_i]:
            if fast and not line.tokenized:
                if line.start == line.end or text[line.start : line.end].isspace():
                    items.append(EmptyLine(at(line.start, line.end, file)))
                    docs = []
                    continue
                fast_item = simple_field(text, line, fs) or simple_block_attribute(text, line, fs)
                if fast_item is not None:
                    if docs:
                        fast_item.documentation = "\n".join(docs)
                        docs = []
                    items.append(fast_item)
                    continue
            toks = line.tokens
            first = toks[0]
            first_kind = first[0]
            if first_kind == END:
                items.append(EmptyLine(at(line.start, line.end, file)))
                docs = []
                continue
            if first_kind in COMMENTS and toks[1][0] == END:
                items.append(CommentLine(first[1][2:], at(first[2], first[3], file)))
                if first_kind == DOC_COMMENT:
                    docs.append(_doc_text(first[1]))
                else:
                    docs = []
                continue
            cursor = _LineCursor(toks, 0, file)
            try:
                item = parse_line(cursor, line, kind, block_name)
            except _Fail:
                diagnostics.error(bad_line, Span(first[2], line.end_nl, file))
                docs = []
                continue
            for message, span in cursor.errors:
                diagnostics.error(message, span)
            trailing = item.trailing_comment
            if trailing is not None and trailing.startswith("/") and not trailing.startswith("/*"):
                docs.append(_doc_text("//" + trailing))  # a trailing `///` documents its line too
            if docs:
                item.documentation = "\n".join(docs)
                docs = []
            items.append(item)
        return Block(
            kind=kind,
            keyword_span=self.span(keyword[2], keyword[3]),
            name=Identifier(name_tok[1], at(name_tok[2], name_tok[3], self.file)),
            items=items,
            span=self.span(keyword[2], close_end),
            documentation="\n".join(doc_lines) if doc_lines else None,
            body_span=self.span(brace[2], close_end),
        )

    def _block_attribute(self, c: _LineCursor) -> BlockAttributeItem:
        attr = c.attribute(True)
        comment = c.trailing_comment()
        return BlockAttributeItem(attr, attr.at, None, comment)

    def _model_line(self, c: _LineCursor, line: Line, kind: BlockKind, block_name: str):
        if c.toks[0][0] == "@@":
            return self._block_attribute(c)
        name_tok = c.name()
        if c.toks[c.pos][0] == ":":
            colon = c.expect(":")
            c.errors.append((MSG_LEGACY_COLON, Span(colon[2], colon[3], c.file)))
        ftype = c.field_type()
        attrs = c.field_attributes() if c.toks[c.pos][0] == "@" else []
        comment = c.trailing_comment()
        if ftype is None:
            c.errors.append(
                (
                    f'Error validating {_CONTAINER_NAMES[kind]} "{block_name}": '
                    "This field declaration is invalid. It is either missing a name or a type.",
                    Span(name_tok[2], line.end_nl, c.file),
                )
            )
        name = Identifier(name_tok[1], at(name_tok[2], name_tok[3], c.file))
        return Field(name, ftype, attrs, at(name_tok[2], line.end_nl, c.file), None, comment)

    def _enum_line(self, c: _LineCursor, line: Line, kind: BlockKind, block_name: str):
        if c.toks[0][0] == "@@":
            return self._block_attribute(c)
        name_tok = c.name()
        attrs = c.field_attributes()
        comment = c.trailing_comment()
        name = Identifier(name_tok[1], at(name_tok[2], name_tok[3], c.file))
        return EnumValue(name, attrs, at(name_tok[2], line.end_nl, c.file), None, comment)

    def _config_line(self, c: _LineCursor, line: Line, kind: BlockKind, block_name: str):
        name_tok = c.name()
        equals = c.expect("=")
        value = None
        if c.toks[c.pos][0] not in COMMENTS and c.toks[c.pos][0] != END:
            value = c.expression()
        comment = c.trailing_comment()
        end = value.end if value is not None else equals[3]
        name = Identifier(name_tok[1], at(name_tok[2], name_tok[3], c.file))
        return Property(name, value, at(name_tok[2], end, c.file), None, comment)


def _doc_text(comment: str) -> str:
    text = comment[3:]
    return text[1:] if text.startswith(" ") else text
