"""The runtime the generated client imports: schema metadata, the SQL compiler, drivers.

Generated packages import from here only; nothing here imports the schema parser.
"""
