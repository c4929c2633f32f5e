"""Pause Python's cyclic garbage collector while the schema pipeline builds its objects.

Why: parsing, validating and calculating a 10,000-model schema allocate millions of small,
long-lived objects (AST nodes, datamodel fields, SQL columns) and almost no cyclic garbage.
The cyclic collector runs every 700 allocations and, every so often, walks *all* live objects
(a full collection): with millions of them that walking cost about a third of the CPU time of
`migrate diff --from-empty` at 5,000 models (measured with cProfile and `gc.callbacks`).
Reference counting still frees everything that is not in a cycle while the collector is
paused; the few cycles made meanwhile are collected after it resumes.

`gc_paused()` nests (only the outermost one resumes the collector) and works as a decorator.
The parser and the formatter use it too (as `lamina.psl.parser.paused_gc`).
It never resumes a collector that someone else had already turned off.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
