"""The SQL side: `SqlSchema`, the calculator (datamodel -> SqlSchema), the differ and steps."""
