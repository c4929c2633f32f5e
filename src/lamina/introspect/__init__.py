"""lamina.introspect"""
