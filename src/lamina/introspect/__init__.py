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
    view_files: list[tuple[str, str, str]] = field(default_factory=list)  # views preview: (schema, view, sql)

    def printed(self) -> str:
        """What `db pull --print` writes on stdout (print() adds one more newline)."""
        return self.text + "\n"

    def warning_comment(self) -> str:
        """The re-introspection warnings as the comment block `--print` writes on stderr."""
        if not self.warnings:
            return ""
        lines = ["", "// *** WARNING ***", "// "] + [f"// {w}" if w else "// " for w in self.warnings]
        return "\n".join(lines)

def introspect(schema: SqlSchema, provider: str, previous_sources: list[tuple[str, str]] | None = None,
               views: list | None = None) -> IntrospectionResult:
    """`views`: the database's views (`introspect.views.describe_views`) when the schema enables
    the views preview feature; they become `view` blocks and `result.view_files`."""
    from lamina.introspect.build import build
    from lamina.introspect.previous import PreviousSchema
    from lamina.introspect.render import render_files, render_schema

    previous = PreviousSchema()
    tree = None
    if previous_sources:
        from lamina.psl.parser import parse_schema

        tree, _diagnostics = parse_schema(previous_sources)
        previous = PreviousSchema(tree)
    datamodel = build(schema, provider, previous)
    view_blocks: list[str] = []
    view_files: list[tuple[str, str, str]] = []
    if views is not None:
        from lamina.introspect.view_blocks import build_views, merge_warnings, render_view

        view_models, view_warnings = build_views(views, provider, previous, tree, datamodel.enums,
                                                 {m.name for m in datamodel.models},
                                                 {m.name: m for m in datamodel.models})
        view_blocks = [render_view(m) for m in view_models]
        psl_names = {(m.table.namespace, m.table.name): m.name for m in view_models}
        view_files = [(v.schema, psl_names[(v.table.namespace, v.table.name)], v.definition) for v in views]
        datamodel.warnings = merge_warnings(datamodel.warnings, view_warnings)
    from lamina.introspect.config_features import adjust_config

    previous.config_blocks = adjust_config(previous.config_blocks, schema)
    text = render_schema(datamodel, previous.config_blocks, view_blocks)
    files = render_files(datamodel, previous) if previous_sources and len(previous_sources) > 1 else []
    if files and view_blocks:
        from lamina.introspect.render import NEW_BLOCKS_FILE
        from lamina.introspect.view_blocks import place_in_files

        files = place_in_files(files, view_models, view_blocks, tree, NEW_BLOCKS_FILE)
    warnings = datamodel.warnings
    return IntrospectionResult(text, len(datamodel.models), len(datamodel.enums), warnings, files, view_files)
