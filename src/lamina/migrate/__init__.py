"""lamina.migrate"""
