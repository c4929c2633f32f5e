"""Introspection (`db pull`): a described database -> schema.prisma text.

    from lamina.introspect import introspect
    result = introspect(sql_schema, "postgresql", previous_sources=[("schema.prisma", text)])
    result.text          # the new schema file
    result.model_count   # for "Introspected N models ..."
    result.warnings      # Prisma's re-introspection notes (names kept from the previous schema)

Pipeline: `build` (SqlSchema + what the previous schema named -> models/enums with PSL
names and attributes) then `render` (canonical PSL layout). The describers live in
`lamina.dialects.<d>.describe`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lamina.sql.schema import SqlSchema


@dataclass
class IntrospectionResult:
    text: str
    model_count: int
    enum_count: int
    warnings: list[str] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # multi-file schemas: (file name, text)

    def printed(self) -> str:
        """What `db pull --print` writes on stdout (print() adds one more newline)."""
        return self.text + "\n"

    def warning_comment(self) -> str:
        """The re-introspection warnings as the comment block `--print` writes on stderr."""
        if not self.warnings:
            return ""
        lines = ["", "// *** WARNING ***", "// "] + [f"// {w}" if w else "// " for w in self.warnings]
        return "\n".join(lines)

def introspect(schema: SqlSchema, provider: str, previous_sources: list[tuple[str, str]] | None = None) -> IntrospectionResult:
    from lamina.introspect.build import build
    from lamina.introspect.previous import PreviousSchema
    from lamina.introspect.render import enrichment_warnings, render_files, render_schema

    previous = PreviousSchema()
    if previous_sources:
        from lamina.psl.parser import parse_schema

        tree, _diagnostics = parse_schema(previous_sources)
        previous = PreviousSchema(tree)
    datamodel = build(schema, provider, previous)
    text = render_schema(datamodel, previous.config_blocks)
    files = render_files(datamodel, previous) if previous_sources and len(previous_sources) > 1 else []
    warnings = datamodel.warnings + enrichment_warnings(datamodel)
    return IntrospectionResult(text, len(datamodel.models), len(datamodel.enums), warnings, files)
