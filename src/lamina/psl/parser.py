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
- `///` comment lines directly above a node become its `documentation`; they are also kept
  as `CommentLine` items (text starting with "/") so that formatting is lossless.
"""

from __future__ import annotations

from lamina.psl.ast import (
    Argument,
    ArgumentList,
    ArrayValue,
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
)
from lamina.psl.diagnostics import Diagnostics
from lamina.psl.lexer import (
    BLOCK_COMMENT,
    COMMENT,
    DOC_COMMENT,
    NUMBER,
    PUNCT,
    STRING,
    WORD,
    Line,
    Token,
    tokenize_lines,
    unescape_string,
)

_COMMENTS = (COMMENT, DOC_COMMENT, BLOCK_COMMENT)
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

_CONTAINER_NAMES = {BlockKind.MODEL: "model", BlockKind.VIEW: "view", BlockKind.TYPE: "composite type"}


class _Fail(Exception):
    """The current line does not parse (internal; never escapes this module)."""


def parse_schema(sources: list[tuple[str, str]]) -> tuple[SchemaAst, Diagnostics]:
    diagnostics = Diagnostics()
    files = []
    for index, (name, text) in enumerate(sources):
        files.append(_FileParser(name, text, index, diagnostics).parse())
    return SchemaAst(files), diagnostics


def _is_name(token: Token) -> bool:
    # Identifiers may start with a digit (`1 = 2` is a valid property line for the grammar).
    return token.kind == WORD or (token.kind == NUMBER and token.text[0] != "-" and "." not in token.text)


class _LineCursor:
    """Reads the tokens of one line; `_Fail` when the line does not match."""

    __slots__ = ("tokens", "pos", "file", "errors")

    def __init__(self, tokens: list[Token], pos: int, file: int) -> None:
        self.tokens = tokens
        self.pos = pos
        self.file = file
        self.errors: list[tuple[str, Span]] = []  # reported only if the whole line parses

    def peek(self, offset: int = 0) -> Token | None:
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def at(self, text: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == PUNCT and tok.text == text

    def expect(self, text: str) -> Token:
        tok = self.peek()
        if tok is None or tok.kind != PUNCT or tok.text != text:
            raise _Fail
        self.pos += 1
        return tok

    def name(self) -> Token:
        tok = self.peek()
        if tok is None or not _is_name(tok):
            raise _Fail
        self.pos += 1
        return tok

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.file)

    def path(self) -> tuple[str, int, int]:
        """`a`, `a.b.c` (no spaces around the dots)."""
        first = self.name()
        parts = [first.text]
        end = first.end
        while True:
            dot = self.peek()
            nxt = self.peek(1)
            if dot is None or dot.kind != PUNCT or dot.text != "." or dot.start != end:
                break
            if nxt is None or not _is_name(nxt) or nxt.start != dot.end:
                raise _Fail
            parts.append(nxt.text)
            end = nxt.end
            self.pos += 2
        return ".".join(parts), first.start, end

    # ------------------------------------------------------------ expressions

    def expression(self) -> Expression:
        tok = self.peek()
        if tok is None:
            raise _Fail
        if tok.kind == STRING:
            self.pos += 1
            return StringValue(unescape_string(tok.text), tok.text, self.span(tok.start, tok.end))
        if tok.kind == NUMBER:
            self.pos += 1
            return NumericValue(tok.text, self.span(tok.start, tok.end))
        if tok.kind == PUNCT and tok.text == "[":
            return self.array()
        if tok.kind == WORD and not tok.text[0].isdigit():
            name, start, end = self.path()
            if self.at("("):
                args = self.arguments()
                return FunctionCall(name, self.span(start, end), args, self.span(start, args.span.end))
            return ConstantValue(name, self.span(start, end))
        raise _Fail

    def array(self) -> ArrayValue:
        open_ = self.expect("[")
        items: list[Expression] = []
        if not self.at("]"):
            items.append(self.expression())
            while self.at(","):
                self.pos += 1
                items.append(self.expression())
        close = self.expect("]")
        return ArrayValue(items, self.span(open_.start, close.end))

    def arguments(self) -> ArgumentList:
        open_ = self.expect("(")
        args: list[Argument] = []
        trailing_comma = False
        if not self.at(")"):
            args.append(self.argument())
            while self.at(","):
                self.pos += 1
                if self.at(")"):
                    trailing_comma = True
                    break
                args.append(self.argument())
        close = self.expect(")")
        return ArgumentList(args, self.span(open_.start, close.end), trailing_comma)

    def argument(self) -> Argument:
        tok = self.peek()
        colon = self.peek(1)
        if tok is not None and _is_name(tok) and colon is not None and colon.kind == PUNCT and colon.text == ":":
            self.pos += 2
            name = Identifier(tok.text, self.span(tok.start, tok.end))
            if self.at(",") or self.at(")"):
                return Argument(name, None, self.span(tok.start, colon.end))
            value = self.expression()
            return Argument(name, value, self.span(tok.start, value.span.end))
        value = self.expression()
        return Argument(None, value, value.span)

    def attribute(self, is_block: bool) -> Attribute:
        at = self.expect("@@" if is_block else "@")
        name, name_start, name_end = self.path()
        args = self.arguments() if self.at("(") else None
        end = args.span.end if args else name_end
        return Attribute(name, self.span(name_start, name_end), args, self.span(at.start, end), is_block)

    def field_attributes(self) -> list[Attribute]:
        attrs = []
        while self.at("@"):
            attrs.append(self.attribute(False))
        return attrs

    def trailing_comment(self) -> str | None:
        """The optional comment ending the line, then the end of the line."""
        tok = self.peek()
        if tok is None:
            return None
        if tok.kind in _COMMENTS and self.pos == len(self.tokens) - 1:
            self.pos += 1
            return tok.text if tok.kind == BLOCK_COMMENT else tok.text[2:]
        raise _Fail

    def field_type(self) -> FieldType | None:
        tok = self.peek()
        if tok is None:
            return None
        if tok.kind == PUNCT and tok.text == "[":  # legacy `[Type]`
            self.pos += 1
            name, unsupported = self.base_type()
            close = self.expect("]")
            span = self.span(tok.start, close.end)
            self.errors.append((MSG_LEGACY_LIST, span))
            return FieldType(name, span, Arity.LIST, unsupported)
        if not _is_name(tok):
            return None
        start = tok.start
        name, unsupported = self.base_type()
        end = self.tokens[self.pos - 1].end
        arity = Arity.REQUIRED
        if self.at("[") and (nxt := self.peek(1)) is not None and nxt.kind == PUNCT and nxt.text == "]" and nxt.start == self.peek().end:  # type: ignore[union-attr]
            self.pos += 2
            end = nxt.end
            arity = Arity.LIST
            if self.at("?"):
                end = self.expect("?").end
                self.errors.append((MSG_OPTIONAL_LIST, self.span(start, end)))
        elif self.at("?"):
            end = self.expect("?").end
            arity = Arity.OPTIONAL
        elif self.at("!"):
            end = self.expect("!").end
            self.errors.append((MSG_LEGACY_REQUIRED, self.span(start, end)))
        return FieldType(name, self.span(start, end), arity, unsupported)

    def base_type(self) -> tuple[str, StringValue | None]:
        tok = self.peek()
        nxt = self.peek(1)
        if tok is not None and tok.text == "Unsupported" and nxt is not None and nxt.text == "(" and nxt.start == tok.end:
            self.pos += 2
            lit = self.peek()
            if lit is None or lit.kind != STRING:
                raise _Fail
            self.pos += 1
            self.expect(")")
            return "Unsupported", StringValue(unescape_string(lit.text), lit.text, self.span(lit.start, lit.end))
        name, _, _ = self.path()
        return name, None


class _FileParser:
    def __init__(self, name: str, text: str, index: int, diagnostics: Diagnostics) -> None:
        self.name = name
        self.text = text
        self.file = index
        self.diagnostics = diagnostics
        self.lines = tokenize_lines(text)

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
        while i < len(lines):
            line = lines[i]
            toks = line.tokens
            if pos >= len(toks):
                if pos == 0:
                    items.append(EmptyLine(self.span(line.start, line.end)))
                    docs = []
                i, pos = i + 1, 0
                continue
            first = toks[pos]
            if first.kind in _COMMENTS:
                items.append(CommentLine(first.text[2:], self.span(first.start, first.end)))
                if first.kind == DOC_COMMENT and pos == 0:
                    docs.append(_doc_text(first.text))
                else:
                    docs = []
                i, pos = i + 1, 0
                continue
            block_start = self._block_opener(toks, pos)
            if block_start is not None:
                kind, name_tok = block_start
                close = self._find_close(i + 1)
                if close is not None:
                    block = self._parse_block(kind, first, name_tok, i, close, "\n".join(docs) if docs else None)
                    items.append(block)
                    docs = []
                    i, pos = close, 1  # continue after the `}` on the closing line
                    continue
            elif self._is_arbitrary_block(toks, pos):
                close = self._find_close(i + 1)
                if close is not None:
                    self.error(MSG_ARBITRARY_BLOCK, first.start, lines[close].tokens[0].end)
                    docs = []
                    i, pos = close, 1
                    continue
            elif first.kind == WORD and first.text == "type" and pos + 2 < len(toks) and toks[pos + 2].text == "=":
                self.error(MSG_TYPE_ALIAS, first.start, line.end)
                docs = []
                i, pos = i + 1, 0
                continue
            self.error(MSG_TOP_LEVEL, first.start, line.end_nl)
            docs = []
            i, pos = i + 1, 0
        return SourceFile(self.name, self.text, items)

    def _block_opener(self, toks: list[Token], pos: int) -> tuple[BlockKind, Token] | None:
        if len(toks) - pos < 3:
            return None
        kw, name, brace = toks[pos], toks[pos + 1], toks[pos + 2]
        if kw.kind != WORD or kw.text not in _BLOCK_KEYWORDS or not _is_name(name):
            return None
        if brace.kind != PUNCT or brace.text != "{":
            return None
        return _BLOCK_KEYWORDS[kw.text], name

    @staticmethod
    def _is_arbitrary_block(toks: list[Token], pos: int) -> bool:
        return len(toks) - pos >= 2 and _is_name(toks[pos]) and toks[pos + 1].text == "{"

    def _find_close(self, i: int) -> int | None:
        lines = self.lines
        for j in range(i, len(lines)):
            toks = lines[j].tokens
            if toks and toks[0].kind == PUNCT and toks[0].text == "}":
                return j
        return None

    def _parse_block(
        self, kind: BlockKind, keyword: Token, name_tok: Token, open_i: int, close_i: int, doc: str | None
    ) -> Block:
        open_line = self.lines[open_i]
        brace = next(t for t in open_line.tokens if t.start > name_tok.start and t.text == "{")
        close_tok = self.lines[close_i].tokens[0]
        items: list = []
        body = self.lines[open_i + 1 : close_i]
        if kind in (BlockKind.MODEL, BlockKind.VIEW, BlockKind.TYPE):
            parse_line = self._model_line
            bad_line = MSG_MODEL_LINE
        elif kind is BlockKind.ENUM:
            parse_line = self._enum_line
            bad_line = MSG_ENUM_LINE
        else:
            parse_line = self._config_line
            bad_line = f"Error validating: This line is not a valid definition within a {kind.value}."
        block_name = name_tok.text
        docs: list[str] = []
        for line in body:
            toks = line.tokens
            if not toks:
                items.append(EmptyLine(self.span(line.start, line.end)))
                docs = []
                continue
            first = toks[0]
            if first.kind in _COMMENTS:
                items.append(CommentLine(first.text[2:], self.span(first.start, first.end)))
                if first.kind == DOC_COMMENT:
                    docs.append(_doc_text(first.text))
                else:
                    docs = []
                continue
            cursor = _LineCursor(toks, 0, self.file)
            try:
                item = parse_line(cursor, line, kind, block_name)
            except _Fail:
                self.error(bad_line, first.start, line.end_nl)
                docs = []
                continue
            for message, span in cursor.errors:
                self.diagnostics.error(message, span)
            if docs:
                item.documentation = "\n".join(docs)
                docs = []
            items.append(item)
        return Block(
            kind=kind,
            keyword_span=self.span(keyword.start, keyword.end),
            name=Identifier(name_tok.text, self.span(name_tok.start, name_tok.end)),
            items=items,
            span=self.span(keyword.start, close_tok.end),
            documentation=doc,
            body_span=self.span(brace.start, close_tok.end),
        )

    def _model_line(self, c: _LineCursor, line: Line, kind: BlockKind, block_name: str):
        first = c.peek()
        assert first is not None
        if first.kind == PUNCT and first.text == "@@":
            attr = c.attribute(True)
            comment = c.trailing_comment()
            return BlockAttributeItem(attr, self.span(attr.span.start, attr.span.end), None, comment)
        name_tok = c.name()
        if c.at(":"):
            colon = c.expect(":")
            c.errors.append((MSG_LEGACY_COLON, c.span(colon.start, colon.end)))
        ftype = c.field_type()
        attrs = c.field_attributes()
        comment = c.trailing_comment()
        span = self.span(name_tok.start, line.end_nl)
        if ftype is None:
            c.errors.append(
                (
                    f'Error validating {_CONTAINER_NAMES[kind]} "{block_name}": '
                    "This field declaration is invalid. It is either missing a name or a type.",
                    span,
                )
            )
        return Field(Identifier(name_tok.text, c.span(name_tok.start, name_tok.end)), ftype, attrs, span, None, comment)

    def _enum_line(self, c: _LineCursor, line: Line, kind: BlockKind, block_name: str):
        first = c.peek()
        assert first is not None
        if first.kind == PUNCT and first.text == "@@":
            attr = c.attribute(True)
            comment = c.trailing_comment()
            return BlockAttributeItem(attr, self.span(attr.span.start, attr.span.end), None, comment)
        name_tok = c.name()
        attrs = c.field_attributes()
        comment = c.trailing_comment()
        span = self.span(name_tok.start, line.end_nl)
        return EnumValue(Identifier(name_tok.text, c.span(name_tok.start, name_tok.end)), attrs, span, None, comment)

    def _config_line(self, c: _LineCursor, line: Line, kind: BlockKind, block_name: str):
        name_tok = c.name()
        c.expect("=")
        value = None
        nxt = c.peek()
        if nxt is not None and nxt.kind not in _COMMENTS:
            value = c.expression()
        comment = c.trailing_comment()
        end = value.span.end if value is not None else c.tokens[c.pos - (2 if comment is not None else 1)].end
        return Property(
            Identifier(name_tok.text, c.span(name_tok.start, name_tok.end)),
            value,
            self.span(name_tok.start, end),
            None,
            comment,
        )


def _doc_text(comment: str) -> str:
    text = comment[3:]
    return text[1:] if text.startswith(" ") else text
