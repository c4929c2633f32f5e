"""`stream()`: a query's models, batch by batch, with memory independent of the row count.

`find_many` reads every row into a list (as Prisma and prisma-client-py do). `stream()` reads
`batch_size` rows at a time from a cursor the database keeps open, turns each batch into the
same models `find_many` returns, and drops it before the next:

- PostgreSQL: a server-side cursor (`DECLARE` ... `FETCH`), inside a transaction: its own
  read-only one, or the interactive transaction the client is in. (A `WITH HOLD` cursor would
  need no transaction but copies the whole result on the server first.)
- MySQL/MariaDB: PyMySQL's unbuffered cursor (`SSCursor`): rows are read off the socket as the
  iterator advances. Until it ends, that connection can run nothing else.
- SQLite: the statement is stepped as the iterator advances (`fetchmany`).

Each iterator borrows one connection of the client's pool for its whole life (or uses the
transaction's) and gives it back when it ends, fails or is closed. Leaving a `for` loop early
closes a sync iterator at once; an async one is closed by `async with contextlib.aclosing(...)`
or, later, by the event loop.

The query accepts what `find_many` does except `include`, `select` and `distinct` (which need
every row first) and a negative `take` (rows come from the end).
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable, Iterator

from . import reads
from .dialect import Dialect
from .errors import FieldNotFoundError
from .meta import ModelMeta, Schema
from .where import Ctx

DEFAULT_BATCH_SIZE = 1000
Plan = tuple[str, list[Any], Callable[[list[Any]], list[Any]]]


def plan(d: Dialect, schema: Schema, m: ModelMeta, cls: Any, batch_size: int, *, take: int | None = None,
         skip: int | None = None, where: Any = None, cursor: Any = None, order: Any = None) -> Plan:
    """(SELECT statement, its parameters, rows -> models): checked before the first row is read."""
    if type(batch_size) is not int or batch_size < 1:
        raise FieldNotFoundError(f"Argument `batch_size`: Invalid value provided. Expected a positive Int, "
                                 f"provided {batch_size!r}.", code="P2009")
    if type(take) is int and take < 0:
        raise FieldNotFoundError("Argument `take`: stream() reads rows in order and cannot take them from the end; "
                                 "reverse `order` instead of a negative `take`.", code="P2009")
    ctx = Ctx(d, schema)
    names = reads.partial_names(m, cls)
    sql, _ = reads.select_sql(ctx, m, names, where=where, take=take, skip=skip, cursor=cursor, order=order)
    return sql, ctx.params, lambda rows: reads.models_from_rows(d, m, names, rows, cls)


def models(client_driver: Any, query: Plan, batch_size: int) -> Iterator[Any]:
    """The models of `query`, over one connection borrowed from the pool for the iterator's life
    (a transaction's client passes its own connection)."""
    sql, params, build = query
    pooled = hasattr(client_driver, "acquire")
    conn = client_driver.acquire() if pooled else client_driver
    batches = conn.stream(sql, params, batch_size, not pooled)
    try:
        for rows in batches:
            yield from build(rows)
    finally:
        batches.close()  # the cursor first: the connection must be idle when it goes back
        if pooled:
            client_driver.release(conn)


async def models_async(client_driver: Any, query: Plan, batch_size: int) -> AsyncIterator[Any]:
    sql, params, build = query
    pooled = hasattr(client_driver, "acquire")
    conn = await client_driver.acquire() if pooled else client_driver
    batches = conn.stream(sql, params, batch_size, not pooled)
    try:
        async for rows in batches:
            for obj in build(rows):
                yield obj
    finally:
        await batches.aclose()  # `async for` never closes what it iterates
        if pooled:
            await client_driver.release(conn)
