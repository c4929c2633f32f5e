"""Introspected models and enums -> schema.prisma text, in Prisma's canonical layout.

Layout as `prisma format` leaves it: two-space indent, field names, types and attributes
aligned in columns within a block, block attributes after one blank line, one blank line
between blocks, config blocks (as the user wrote them) first, then models, then enums.
"""

from __future__ import annotations

from lamina.introspect.build import PslDatamodel, PslEnum, PslModel


def _doc_lines(doc: str | None, indent: str) -> list[str]:
    if not doc:
        return []
    return [f"{indent}///{(' ' + line) if line else ''}" for line in doc.split("\n")]


def render_model(model: PslModel) -> str:
    lines = _doc_lines(model.documentation, "")
    lines.append(f"model {model.name} {{")
    name_width = max((len(f.name) for f in model.fields), default=0)
    type_width = max((len(f.type) for f in model.fields), default=0)
    for f in model.fields:
        lines.extend(_doc_lines(f.documentation, "  "))
        if f.attributes:
            lines.append(f"  {f.name.ljust(name_width)} {f.type.ljust(type_width)} {' '.join(f.attributes)}")
        else:
            lines.append(f"  {f.name.ljust(name_width)} {f.type}".rstrip())
    if model.block_attributes:
        if model.fields:
            lines.append("")
        lines.extend(f"  {a}" for a in model.block_attributes)
    lines.append("}")
    return "\n".join(lines)


def render_enum(enum: PslEnum) -> str:
    lines = _doc_lines(enum.documentation, "")
    lines.append(f"enum {enum.name} {{")
    # The @map column lines up after the longest value name, mapped or not (Prisma 7.10.1).
    width = max((len(name) for name, _mapped in enum.values), default=0)
    for name, mapped in enum.values:
        if mapped is not None:
            lines.append(f'  {name.ljust(width)} @map("{mapped}")')
        else:
            lines.append(f"  {name}")
    block = []
    if enum.name != enum.db_name:
        block.append(f'  @@map("{enum.db_name}")')
    if enum.schema:
        block.append(f'  @@schema("{enum.schema}")')
    if block:
        lines.append("")
        lines.extend(block)
    lines.append("}")
    return "\n".join(lines)


def render_schema(datamodel: PslDatamodel, config_blocks: list[str], views: list[str] | None = None) -> str:
    blocks = list(config_blocks)
    blocks += [render_model(m) for m in datamodel.models]
    blocks += views or []  # `view` blocks (views preview feature) come between models and enums
    blocks += [render_enum(e) for e in datamodel.enums]
    return "\n\n".join(blocks) + "\n"


NEW_BLOCKS_FILE = "introspected.prisma"


def render_files(datamodel: PslDatamodel, previous) -> list[tuple[str, str]]:
    """A multi-file schema: each model and enum goes back to the file it was in; new ones go
    to `introspected.prisma` (made when needed), as Prisma 7.10.1 does; config blocks stay
    where they were. Files come sorted by name."""
    parts: dict[str, list[str]] = {name: [] for name in previous.file_names}
    for text, name in zip(previous.config_blocks, previous.config_files):
        parts[name].append(text)
    for m in datamodel.models:
        parts.setdefault(previous.file_of("model", m.name) or NEW_BLOCKS_FILE, []).append(render_model(m))
    for e in datamodel.enums:
        parts.setdefault(previous.file_of("enum", e.name) or NEW_BLOCKS_FILE, []).append(render_enum(e))
    return [(name, "\n\n".join(blocks) + "\n" if blocks else "") for name, blocks in sorted(parts.items())]
