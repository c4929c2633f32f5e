"""Prisma's canonical layout of one schema file, from its AST.

Rules (each checked against Prisma 7.10.1's `prisma format`):
- Top level: blocks, comments and unparsable lines in source order. After a block whose `}`
  line ends there, one blank line separates it from what follows; after a comment, a blank
  line follows only where the source had at least one; after an unparsable line, none.
  Leading and trailing blank lines go; the file ends with one newline.
- Bodies: 2-space indent. Runs of blank lines become one; leading and trailing ones go.
  Rows between blank lines form a table whose columns (name, type, attributes; for
  datasource/generator: key, `=`, value) are padded to the widest cell; comment lines and
  unparsable lines sit in the table without widening it. A trailing comment follows the
  row's last cell after one space.
- Block attributes (`@@...`), each with the comment lines directly above it, move to the end
  of the body in Prisma's canonical order, after one blank line, with no blank lines between.
- `/* */` comments on their own lines become `/**`, ` * text`, ` */`.
"""

from __future__ import annotations

import bisect
import re
from itertools import zip_longest

from lamina.psl.ast import (
    Block,
    BlockAttributeItem,
    BlockKind,
    CommentLine,
    EmptyLine,
    EnumValue,
    Field,
    Property,
    SourceFile,
)
from lamina.psl.format import render
from lamina.psl.lexer import split_lines

_NON_SPACE = re.compile(r"\S")

INDENT = "  "


class _Raw:
    """A line (or the rest of one) that did not parse: printed as written, stripped."""

    __slots__ = ("text", "start", "end")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end


def _start(item) -> int:
    return item.start if isinstance(item, _Raw) else item.span.start


def _covered(items: list, text: str) -> list[tuple[int, int]]:
    """Source ranges of parsed items; a body item covers the rest of its line (trailing comment)."""
    ranges = []
    for item in items:
        start, end = item.span.start, item.span.end
        if not isinstance(item, Block) and start < end:
            line_end = text.find("\n", end - 1)
            end = len(text) if line_end == -1 else line_end
        ranges.append((start, end))
    return ranges


def _unparsed_lines(text: str, covered: list[tuple[int, int]], lo: int, hi: int) -> list[_Raw]:
    """Lines in [lo, hi) with tokens outside every covered span (they failed to parse)."""
    covered.sort()
    starts = [c[0] for c in covered]
    raws = []
    segment = text[lo:hi]
    for line in split_lines(segment):
        first = _NON_SPACE.search(segment, line.start, line.end)
        if first is None:
            continue
        i = bisect.bisect_right(starts, lo + first.start()) - 1
        if i >= 0 and covered[i][0] <= lo + first.start() and covered[i][1] >= lo + line.end:
            continue  # the whole line lies in one parsed item: no need to tokenize it
        for tok in line.tokens[:-1]:  # without the END sentinel
            pos = lo + tok[2]
            i = bisect.bisect_right(starts, pos) - 1
            if i >= 0 and covered[i][0] <= pos < covered[i][1]:
                continue
            raws.append(_Raw(text[pos : lo + line.end].strip(), pos, lo + line.end))
            break
    return raws


def _comment_lines(item: CommentLine, text: str) -> list[str]:
    raw = text[item.span.start : item.span.end]
    if raw.startswith("/*"):
        return render.block_comment_lines(raw)
    return [raw.rstrip("\r\n")]  # Prisma keeps the spaces a `//` comment ends with


def format_file(source: SourceFile, unparsed_lines: bool = True) -> str:
    """`unparsed_lines=False`: the file parsed without errors, so every line is in the tree and
    the search for lines that failed to parse (a tokenization of every line) is skipped."""
    text = source.text
    elements: list = [i for i in source.items if not isinstance(i, EmptyLine)]
    if unparsed_lines:
        elements += _unparsed_lines(text, _covered(elements, text), 0, len(text))
        elements.sort(key=_start)  # the tree's items are in source order already
    out: list[str] = []
    prev = None
    for element in elements:
        if prev is not None:
            gap = text[_end(prev) : _start(element)].count("\n")
            # (between two lines that did not parse an empty line stays, as after a comment:
            # Prisma 7.10.1's format, seen through the line numbers of its diagnostics; before a
            # block it goes, psl-reformat's type_aliases)
            if (
                (isinstance(prev, Block) and gap >= 1)
                or (isinstance(prev, CommentLine) and gap >= 2)
                or (isinstance(prev, _Raw) and isinstance(element, _Raw) and gap >= 2)
            ):
                out.append("")
        if isinstance(element, Block):
            out.extend(_block(element, text, unparsed_lines))
        elif isinstance(element, CommentLine):
            out.extend(_comment_lines(element, text))
        else:
            out.append(element.text)
        prev = element
    return "\n".join(out) + "\n" if out else ""


def _end(item) -> int:
    return item.end if isinstance(item, _Raw) else item.span.end


def _block(block: Block, text: str, unparsed_lines: bool) -> list[str]:
    lines = [f"{block.kind.value} {block.name.name} {{"]
    body_start = block.body_span.start if block.body_span else block.span.start
    # The rest of the opening line is ignored by Prisma's grammar: start after it.
    first_line_end = text.find("\n", body_start)
    lo = first_line_end + 1 if first_line_end != -1 else block.span.end
    hi = block.span.end - 1  # before the closing `}`
    elements: list = block.items
    if unparsed_lines:
        elements = elements + _unparsed_lines(text, _covered(elements, text), lo, max(lo, hi))
        elements.sort(key=_start)  # the tree's items are in source order (relation completion too)

    # The body without its block attributes, as tables: the runs of lines between blank lines
    # (runs of blank lines count as one; leading and trailing ones go).
    tables: list[list] = [[]]
    groups: list[tuple[list[CommentLine], BlockAttributeItem]] = []
    pending: list[CommentLine] = []
    for element in elements:
        if isinstance(element, CommentLine):
            pending.append(element)
        elif isinstance(element, BlockAttributeItem):
            groups.append((pending, element))
            pending = []
        else:
            table = tables[-1]
            if pending:
                table.extend(pending)
                pending = []
            if not isinstance(element, EmptyLine):
                table.append(element)
            elif table:
                tables.append([])
    tables[-1].extend(pending)

    body: list[str] = []
    for table in tables:
        if table:
            if body:
                body.append("")
            _rows(table, text, body)
    if groups:
        if body:
            body.append("")
        groups.sort(key=lambda g: render.block_attribute_rank(g[1].attribute))
        for comments, item in groups:
            for comment in comments:
                body.extend(_comment_lines(comment, text))
            line = render.attribute(item.attribute)
            if item.trailing_comment is not None:
                line += " " + render.trailing_comment(item.trailing_comment)
            body.append(line)
    lines.extend([INDENT + line if line else "" for line in body])
    lines.append("}")
    return lines


def _cells(element, text: str) -> list[str] | None:
    if isinstance(element, Field):
        return [element.name.name, render.field_type(element, text), render.field_attributes(element)]
    if isinstance(element, EnumValue):
        return [element.name.name, render.attributes(element.attributes)]
    if isinstance(element, Property):
        return [element.name.name, "=", render.expression(element.value)]
    return None


def _width(cell: str) -> int:
    """Prisma pads columns by UTF-8 byte length (`lööps` is 7 wide)."""
    return len(cell) if cell.isascii() else len(cell.encode("utf-8", "surrogatepass"))


def _char_widths(cells: list[str], widths: list[int]) -> list[int]:
    """The `ljust` width of each cell that makes it as wide as its column in UTF-8 bytes."""
    return [width - _width(cell) + len(cell) for cell, width in zip(cells, widths)]


def _rows(elements: list, text: str, out: list[str]) -> None:
    """The lines of one table, whose rows share column widths: each cell but a row's last is
    padded to its column's width (empty cells at the end of a row are dropped); comment lines
    and unparsed lines are printed as they are, without widening the table."""
    rows = [_cells(e, text) for e in elements]
    table = [cells for cells in rows if cells is not None]
    if not table:
        widths: list[int] = []
        ascii_only = True
    else:
        # Usually every cell is ASCII: then the widths and the padding are len() and ljust(),
        # both C loops over the whole table rather than a call per cell.
        ascii_only = "".join([cell for cells in table for cell in cells]).isascii()
        measure = len if ascii_only else _width
        widths = [max(map(measure, column)) for column in zip_longest(*table, fillvalue="")]
    for element, cells in zip(elements, rows):
        if cells is None:
            if isinstance(element, CommentLine):
                out.extend(_comment_lines(element, text))
            else:
                out.append(element.text)
            continue
        last = len(cells) - 1
        while last > 0 and not cells[last]:
            last -= 1
        padded = cells[:last]
        line = " ".join([*map(str.ljust, padded, widths if ascii_only else _char_widths(padded, widths)), cells[last]])
        comment = element.trailing_comment
        if comment is not None:
            line += " " + render.trailing_comment(comment)
        out.append(line)
