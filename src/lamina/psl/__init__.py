"""The Prisma Schema Language front end: parse -> validate -> datamodel; format; diagnostics.

Public entry points (import them from their modules; this package stays import-light):

    lamina.psl.parser.parse_schema(sources) -> (SchemaAst, Diagnostics)
    lamina.psl.validate.validate(ast, diagnostics) -> Datamodel | None
    lamina.psl.render.render_diagnostics(diagnostics, ast, color=False) -> str
    lamina.psl.format.format_schema(sources) -> list[(name, text)]
    lamina.psl.load.load_datamodel(location) -> LoadedSchema   (raises LaminaError P1012)
"""
