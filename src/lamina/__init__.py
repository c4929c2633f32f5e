"""Lamina: Prisma's schema-first migration workflow in pure Python."""

__version__ = "0.1.0"
