"""The base classes of the generated `Prisma` client: connection, `tx()`, `batch_()`, raw SQL.

The generated class adds one typed actions attribute per model (`db.user`) and passes its
schema; everything else lives here, once for the sync and once for the asyncio interface
(the query logic itself is shared: see `engine.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

from . import engine, metrics, operations, pool, replicas, stream
from .errors import (
    ClientAlreadyRegisteredError, ClientNotConnectedError, ClientNotRegisteredError, DataError, PrismaError, RawQueryError,
    TableNotFoundError, TransactionError, TransactionExpiredError, TransactionNotStartedError,
)
from .meta import ModelMeta, Schema
from .reads import build_all, decode

_REGISTRY: dict[str, Any] = {}  # package name -> registered client


def _resolve_url(schema: Schema, package_dir: Path, datasource: Any, use_dotenv: bool) -> Any:
    from lamina.db.url import parse_url

    base = (package_dir / schema.schema_dir).resolve() if schema.schema_dir else package_dir
    if use_dotenv:
        from lamina.project import load_dotenv_files

        load_dotenv_files(base)
    url = (datasource or {}).get("url") if datasource else None
    if url is None:
        url = schema.url if schema.url is not None else os.environ.get(schema.url_env or "DATABASE_URL")
    if not url:
        raise PrismaError(f"Environment variable not found: {schema.url_env or 'DATABASE_URL'}.")
    try:
        return parse_url(url, base_dir=base)
    except Exception as exc:  # LaminaError from the URL parser
        raise PrismaError(str(exc)) from None


def _model_meta(model: Any, schema: Schema) -> ModelMeta | None:
    """The schema model a class reads: a generated model's, or a partial model's (a subclass of
    `bases.Base<Model>`), so raw rows are decoded by the column types either way."""
    for c in model.__mro__:
        module = getattr(c, "__module__", "")
        name = c.__name__[4:] if module.endswith(".bases") else c.__name__
        if name in schema.models and module.endswith((".models", ".bases")):
            return schema.models[name]
    return None


def _raw_rows(d: Any, rows: list[Any], names: list[str], model: Any, schema: Schema) -> list[Any]:
    if model is None:  # values as prisma-client-py gives them (its raw protocol's types), not the driver's
        decs = d.raw_decoders(names, schema)
        return [{n: v if v is None else dec(v) for n, dec, v in zip(names, decs, r)} for r in rows]
    meta = _model_meta(model, schema)
    if meta is None:
        return [model.model_validate(dict(zip(names, r))) for r in rows]
    by_db = {f.db_name: f.name for f in meta.scalars}
    fields = [by_db.get(n, n) for n in names]
    recs = decode(d, meta, [f for f in fields if f in meta.fields] if set(fields) <= set(meta.fields) else [], rows) \
        if set(fields) <= set(meta.fields) else [dict(zip(fields, r), **meta.rel_none) for r in rows]
    lists = [f for f in fields if f in meta.fields and meta.fields[f].is_list]
    for rec in recs if lists else ():
        for f in lists:  # a NULL scalar list reads as [], as Prisma reads it
            if rec.get(f) is None:
                rec[f] = []
    return build_all(meta, recs, model)


class _Base:
    _schema: Schema
    _package: str
    _package_dir: Path

    def __init__(self, *, datasource: Any = None, auto_register: bool = False, log_queries: bool = False,
                 use_dotenv: bool = True, connect_timeout: Any = None, http: Any = None,
                 read_replicas: Sequence[str] | str | None = None, **_: Any) -> None:
        self._datasource = datasource
        self._read_replicas = read_replicas  # None: LAMINA_READ_REPLICAS (replicas.py)
        self._replicas: Any = None  # a ReplicaSet once connected with replicas; None on a primary() view
        self._view = False  # a primary() view: entering and leaving it neither connects nor disconnects
        self._log_queries = log_queries
        self._use_dotenv = use_dotenv
        self._driver: Any = None  # the pool, or a transaction's connection (a transaction's client)
        self._connections: Any = None  # the pool (a transaction's client: its client's)
        self._in_tx = False
        self._deadline: float | None = None
        self._tx_closed: str | None = None  # "committed" / "rolled back", for a transaction's client
        self._metrics = metrics.Recorder()  # get_metrics(); shared with the transactions' clients
        if auto_register:
            register(self)

    def _init_actions(self) -> None:  # generated
        pass

    def _tx_copy(self, driver: Any, timeout: float | None) -> Any:
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._driver = driver
        clone._in_tx = True
        clone._tx_closed = None
        clone._deadline = time.monotonic() + timeout if timeout else float("inf")
        if hasattr(self, "_lock"):
            setattr(clone, "_lock", threading.RLock())
        clone._init_actions()
        return clone

    def _reads_from_replicas(self) -> bool:
        return self._replicas is not None and not self._in_tx and not replicas.FORCE_PRIMARY.get()

    def primary(self) -> Self:
        """This client, reading from the primary: `db.primary().user.find_many()`, or
        `with db.primary(): ...` for every read in the block (this thread or asyncio task)."""
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        view._replicas = None
        view._view = True
        view._init_actions()
        return view

    def _check_deadline(self) -> None:
        """For a transaction's client: the transaction is still open and within its timeout."""
        closed = self._tx_closed
        if closed == "expired":
            raise TransactionExpiredError("Transaction already closed: the timeout for this transaction was exceeded; "
                                          "it was rolled back.")
        if closed is not None:  # prisma-client-py raises the engine's P2028 "already closed" as TransactionExpiredError
            raise TransactionExpiredError(
                f"Transaction already closed: A query cannot be executed on a {closed} transaction."
            )
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise TransactionExpiredError("Transaction already closed: the timeout for this transaction was exceeded.")

    @property
    def _active_provider(self) -> str:
        """The datasource's provider ("postgresql", "mysql", "sqlite"), as prisma-client-py names it."""
        return self._schema.provider

    def get_metrics(self, format: str = "json", *, global_labels: dict[str, str] | None = None) -> Any:
        """Prisma's metrics from the client's own measurements (`Metrics`, or Prometheus text)."""
        return metrics.get_metrics(self._metrics, format, global_labels)

    def is_registered(self) -> bool:
        return _REGISTRY.get(self._package) is self

    def _connection_hooks(self) -> list[Any]:
        """What every new connection of the pool gets: the metrics' timers, and the statement log."""
        hooks = [lambda driver: metrics.instrument(driver, self._metrics)]
        if self._log_queries:
            hooks.append(engine.log_statements)
        return hooks

    def _raw(self, query: str, args: tuple[Any, ...]) -> tuple[str, list[Any]]:
        raw_arg = self._driver.d.raw_arg
        return engine.raw_sql(self._driver.url.provider, query, tuple(raw_arg(a) for a in args))


def register(client: Any, package: str | None = None) -> None:
    """`client` is a client, or (as in prisma-client-py) a function returning one."""
    package = package or client._package
    if package in _REGISTRY and _REGISTRY[package] is not client:
        raise ClientAlreadyRegisteredError()
    _REGISTRY[package] = client


def get_client(package: str) -> Any:
    try:
        client = _REGISTRY[package]
    except KeyError:
        raise ClientNotRegisteredError() from None
    if not isinstance(client, _Base) and callable(client):
        client = client()
    return client


# ---------------------------------------------------------------- sync


class SyncClient(_Base):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Only a transaction's client serializes its queries (one connection); the client's own
        # queries each borrow a connection of the pool and run side by side.
        self._lock: Any = contextlib.nullcontext()

    def connect(self, timeout: Any = None) -> None:
        if self._driver is not None and not self._driver.alive() and self._driver.reconnect:
            self._driver.revive()
        if self._driver is None:
            url = _resolve_url(self._schema, self._package_dir, self._datasource, self._use_dotenv)
            self._driver = self._connections = pool.open_sync(url, self._schema.sqlite_timestamps, self._connection_hooks())
            self._metrics.open_connections = self._driver.size
            urls = replicas.replica_urls(self._read_replicas, url)
            if urls:
                hooks, timestamps = self._connection_hooks(), self._schema.sqlite_timestamps
                self._replicas = replicas.ReplicaSet(urls, lambda u: pool.open_sync(u, timestamps, hooks), self._driver)

    def disconnect(self, timeout: Any = None) -> None:
        if self._replicas is not None:
            self._replicas.close()
            self._replicas = None
        if self._driver is not None:
            self._driver.close()
            self._driver = self._connections = None

    def is_connected(self) -> bool:
        """True while the client is connected (False after the server ended a connection, until a query
        succeeds again: the next query or `connect()` opens a new one)."""
        return self._driver is not None and self._driver.alive()

    def __enter__(self) -> Self:
        if self._view:  # `with db.primary():` every read in the block from the primary
            self._force = replicas.FORCE_PRIMARY.set(True)
            return self
        self.connect()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._view:
            replicas.FORCE_PRIMARY.reset(self._force)
            return
        if self.is_connected():
            self.disconnect()

    def _execute(self, name: str, meta: ModelMeta, cls: Any, args: dict[str, Any]) -> Any:
        if self._replicas is not None and name in replicas.READS and self._reads_from_replicas():
            return self._replicas.read(lambda driver: self._execute_on(driver, name, meta, cls, args))
        return self._execute_on(self._driver, name, meta, cls, args)

    def _execute_on(self, driver: Any, name: str, meta: ModelMeta, cls: Any, args: dict[str, Any]) -> Any:
        if driver is None:
            raise ClientNotConnectedError()
        if self._deadline is not None:
            self._check_deadline()
        gen, atomic = operations.OPS[name](driver.d, self._schema, meta, cls, **args)
        if type(gen) is tuple:  # one statement: no generator to drive
            sql, params, make_row, finish = gen
            with self._lock:
                rows, count = driver.execute(sql, params, make_row)
            return finish(rows, count)
        with self._lock:
            if atomic and not self._in_tx:
                return driver.run_atomic(gen)
            return driver.run(gen)

    def _stream(self, meta: ModelMeta, cls: Any, batch_size: int, args: dict[str, Any]) -> Any:
        """`stream()`'s iterator (see stream.py); the arguments are checked now, the query runs on first `next()`."""
        driver = self._driver
        if driver is None:
            raise ClientNotConnectedError()
        query = stream.plan(driver.d, self._schema, meta, cls, batch_size, **args)
        return stream.models(driver, query, batch_size)

    def _find_unique(self, meta: ModelMeta, cls: Any, where: Any, include: Any, select: Any, raise_: bool) -> Any:
        if self._replicas is not None and self._reads_from_replicas():  # (no call per query without replicas)
            return self._replicas.read(lambda driver: self._find_unique_on(driver, meta, cls, where, include, select,
                                                                             raise_))
        return self._find_unique_on(self._driver, meta, cls, where, include, select, raise_)

    def _find_unique_on(self, driver: Any, meta: ModelMeta, cls: Any, where: Any, include: Any, select: Any,
                        raise_: bool) -> Any:
        """find_unique(_or_raise): by one unique scalar of a full model, a cached statement and
        row builder (the hot path); anything else through the general operation."""
        if (driver is not None and self._deadline is None and include is None and select is None
                and cls is meta.cls and type(where) is dict and len(where) == 1):
            (key, value), = where.items()
            plan = operations.unique_plan(driver.d, self._schema, meta, key)
            if plan and value is not None and type(value) is not dict:
                sql, enc, make = plan
                with self._lock:
                    row = driver.query_one(sql, [enc(value) if enc is not None else value])
                if row is not None:
                    return make(row)
                if raise_:
                    raise operations._not_found(meta)
                return None
        return self._execute_on(driver, "find_unique", meta, cls,
                                {"where": where, "include": include, "select": select, "raise_": raise_})

    def tx(self, max_wait: Any = None, timeout: Any = None) -> "SyncTransaction":
        return SyncTransaction(self, timeout_seconds(timeout, 5.0), timeout_seconds(max_wait, 2.0))

    def batch_(self) -> "SyncBatch":
        return SyncBatch(self)

    def query_raw(self, query: str, *args: Any, model: Any = None) -> list[Any]:
        """A raw read (on a replica when there are some: use `db.primary().query_raw` for a write that returns rows)."""
        if self._driver is None:
            raise ClientNotConnectedError()
        sql, params = self._raw(query, args)

        def run(driver: Any) -> tuple[list[str], list[Any]]:
            with self._lock:
                return _run_raw(driver, sql, params)

        names, rows = self._replicas.read(run) if self._reads_from_replicas() else run(self._driver)
        return _raw_rows(self._driver.d, rows, names, model, self._schema)

    def query_first(self, query: str, *args: Any, model: Any = None) -> Any:
        rows = self.query_raw(query, *args, model=model)
        return rows[0] if rows else (None if model is not None else {})

    def execute_raw(self, query: str, *args: Any) -> int:
        if self._driver is None:
            raise ClientNotConnectedError()
        sql, params = self._raw(query, args)
        with self._lock, _raw_errors():
            _, count = self._driver.execute(sql, params)
        return max(int(count), 0)


def timeout_seconds(value: Any, default: float) -> float:
    if value is None:
        return default
    if hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    return float(value) / 1000  # prisma-client-py takes milliseconds or a timedelta


def _run_raw(driver: Any, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
    """Rows with column names; the statement goes through the driver's error mapping."""
    with _raw_errors():
        names, rows = driver.query_named(sql, params)
    return names, rows


@contextlib.contextmanager
def _raw_errors() -> Any:
    """A raw statement's missing table is a RawQueryError, as prisma-client-py raises it."""
    try:
        yield
    except TableNotFoundError as exc:
        raise RawQueryError(str(exc), code=exc.code) from None


def _warn_nested(client: Any) -> None:
    if client._in_tx:
        import warnings

        # Point the warning at the user's line (`tx.tx().start()` or `with tx.tx():`), as prisma-client-py does.
        level, frame = 2, sys._getframe(1)
        while frame is not None and (frame.f_globals.get("__name__") == __name__
                                     or frame.f_code.co_name in ("__enter__", "__aenter__", "start")):
            level, frame = level + 1, frame.f_back  # type: ignore[assignment]
        warnings.warn("The current client is already in a transaction. This can lead to surprising behaviour.",
                      UserWarning, stacklevel=level)


@contextlib.contextmanager
def _started_in_time() -> Any:
    """No free connection within the transaction's `max_wait`: Prisma's P2028."""
    try:
        yield
    except DataError as exc:
        if exc.code != "P2024":
            raise
        raise TransactionError("Transaction API error: Unable to start a transaction in the given time.") from None


class SyncTransaction:
    def __init__(self, client: SyncClient, timeout: float, max_wait: float = 2.0) -> None:
        self._client = client
        self._timeout = timeout
        self._max_wait = max_wait  # for a connection of the pool, as Prisma's maxWait
        self._tx: Any = None
        self._timer: Any = None

    def start(self) -> Any:
        if self._client._driver is None:
            raise ClientNotConnectedError()
        _warn_nested(self._client)
        self._pool = self._client._connections
        with _started_in_time():
            driver = self._pool.acquire(self._max_wait)  # the transaction's connection, until commit or rollback
        try:
            driver.execute(driver.begin, [])
        except BaseException:
            self._pool.release(driver)
            raise
        self._tx = self._client._tx_copy(driver, self._timeout)
        # Roll back AT the timeout, as Prisma does, so a long body does not hold its row locks.
        self._timer = threading.Timer(self._timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self._tx

    def _expire(self) -> None:
        self._end("ROLLBACK", "expired")

    def _end(self, sql: str, state: str) -> None:
        tx = self._tx
        with tx._lock:  # after a statement that is running: the connection serves one at a time
            if tx._tx_closed is not None:
                return
            if state != "expired":
                self._timer.cancel()
            try:
                if tx._driver.alive():
                    tx._driver.execute(sql, [])
            finally:
                tx._tx_closed = state
                self._pool.release(tx._driver)

    def commit(self) -> None:
        if self._tx is None:
            raise TransactionNotStartedError()
        self._tx._check_deadline()
        self._end("COMMIT", "committed")
        if self._tx._tx_closed == "expired":  # expired while waiting for the lock: nothing was committed
            self._tx._check_deadline()

    def rollback(self) -> None:
        if self._tx is None:
            raise TransactionNotStartedError()
        self._end("ROLLBACK", "rolled back")

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            try:
                self.commit()
            except TransactionExpiredError:
                self.rollback()
                raise
        else:
            self.rollback()


class BatchActions:
    """Write actions of one model, queued until the batch commits (prisma-client-py's name: code
    finds a batch's members by the `Actions` suffix of their class)."""

    def __init__(self, batch: Any, meta: ModelMeta, cls: Any) -> None:
        self._batch = batch
        self._meta = meta
        self._cls = cls

    def _add(self, name: str, args: dict[str, Any]) -> None:
        self._batch._ops.append((name, self._meta, self._cls, args))

    def create(self, data: Any, include: Any = None) -> None:
        self._add("create", {"data": data, "include": include})

    def create_many(self, data: Any, *, skip_duplicates: bool | None = None) -> None:
        self._add("create_many", {"data": data, "skip_duplicates": skip_duplicates})

    def create_many_and_return(self, data: Any, *, skip_duplicates: bool | None = None) -> None:
        self._add("create_many_and_return", {"data": data, "skip_duplicates": skip_duplicates})

    def update(self, data: Any, where: Any, include: Any = None) -> None:
        self._add("update", {"data": data, "where": where, "include": include})

    def update_many(self, data: Any, where: Any) -> None:
        self._add("update_many", {"data": data, "where": where})

    def upsert(self, where: Any, data: Any, include: Any = None) -> None:
        self._add("upsert", {"where": where, "data": data, "include": include})

    def delete(self, where: Any, include: Any = None) -> None:
        self._add("delete", {"where": where, "include": include})

    def delete_many(self, where: Any = None) -> None:
        self._add("delete_many", {"where": where})


class _BatchBase:
    _actions_classes: dict[str, type[BatchActions]] = {}

    def __init__(self, client: Any) -> None:
        self._client = client
        self._ops: list[tuple[str, ModelMeta, Any, dict[str, Any]]] = []
        for name, meta in client._schema.models.items():
            actions = self._actions_classes.get(name, BatchActions)  # the generated UserBatchActions...
            setattr(self, meta.instance_name, actions(self, meta, meta.cls))

    def _all(self) -> Any:
        d = self._client._driver.d
        schema = self._client._schema
        ops, self._ops = self._ops, []
        for name, meta, cls, args in ops:
            if name == "execute_raw":
                yield self._client._raw(args["query"], args["args"])
                continue
            gen, _ = operations.OPS[name](d, schema, meta, cls, **args)
            if type(gen) is tuple:
                sql, params, make_row, finish = gen
                finish(*(yield sql, params, make_row))
            else:
                yield from gen


    def execute_raw(self, query: str, *args: Any) -> None:
        """Queue a raw statement; it runs in order with the batch's other queries."""
        self._ops.append(("execute_raw", None, None, {"query": query, "args": args}))  # type: ignore[arg-type]


BatchModel = BatchActions  # the earlier name


class SyncBatch(_BatchBase):
    def commit(self) -> None:
        client = self._client
        if client._driver is None:
            raise ClientNotConnectedError()
        with client._lock:
            if client._in_tx:
                client._driver.run(self._all())
            else:
                client._driver.run_atomic(self._all())

    def __enter__(self) -> Any:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            self.commit()


# ---------------------------------------------------------------- asyncio


class AsyncClient(_Base):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._alock: Any = contextlib.nullcontext()  # as the sync client's _lock

    async def get_metrics(self, format: str = "json", *, global_labels: dict[str, str] | None = None) -> Any:
        return metrics.get_metrics(self._metrics, format, global_labels)

    async def connect(self, timeout: Any = None) -> None:
        driver = self._driver
        if driver is not None and not driver.alive() and driver.reconnect:
            driver.revive()
        if self._driver is None:
            url = _resolve_url(self._schema, self._package_dir, self._datasource, self._use_dotenv)
            self._driver = self._connections = await pool.open_async(
                url, self._schema.sqlite_timestamps, self._connection_hooks())
            self._metrics.open_connections = self._driver.size
            urls = replicas.replica_urls(self._read_replicas, url)
            if urls:
                hooks, timestamps = self._connection_hooks(), self._schema.sqlite_timestamps
                self._replicas = replicas.AsyncReplicaSet(urls, lambda u: pool.open_async(u, timestamps, hooks),
                                                          self._driver)

    async def disconnect(self, timeout: Any = None) -> None:
        if self._replicas is not None:
            await self._replicas.close()
            self._replicas = None
        if self._driver is not None:
            await self._driver.close()
            self._driver = self._connections = None

    def is_connected(self) -> bool:
        """True while the client is connected (False after the server ended a connection, until a query
        succeeds again: the next query or `connect()` opens a new one)."""
        return self._driver is not None and self._driver.alive()

    async def __aenter__(self) -> Self:
        if self._view:  # `async with db.primary():` every read in the block from the primary
            self._force = replicas.FORCE_PRIMARY.set(True)
            return self
        await self.connect()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if self._view:
            replicas.FORCE_PRIMARY.reset(self._force)
            return
        if self.is_connected():
            await self.disconnect()

    def _tx_copy(self, driver: Any, timeout: float | None) -> Any:
        import asyncio

        clone = super()._tx_copy(driver, timeout)
        clone._alock = asyncio.Lock()
        return clone

    async def _find_unique(self, meta: ModelMeta, cls: Any, where: Any, include: Any, select: Any, raise_: bool) -> Any:
        return await self._execute("find_unique", meta, cls,
                                   {"where": where, "include": include, "select": select, "raise_": raise_})

    def _stream(self, meta: ModelMeta, cls: Any, batch_size: int, args: dict[str, Any]) -> Any:
        driver = self._driver
        if driver is None:
            raise ClientNotConnectedError()
        query = stream.plan(driver.d, self._schema, meta, cls, batch_size, **args)
        return stream.models_async(driver, query, batch_size)

    async def _execute(self, name: str, meta: ModelMeta, cls: Any, args: dict[str, Any]) -> Any:
        if self._replicas is not None and name in replicas.READS and self._reads_from_replicas():
            return await self._replicas.read(lambda driver: self._execute_on(driver, name, meta, cls, args))
        return await self._execute_on(self._driver, name, meta, cls, args)

    async def _execute_on(self, driver: Any, name: str, meta: ModelMeta, cls: Any, args: dict[str, Any]) -> Any:
        if driver is None:
            raise ClientNotConnectedError()
        if self._deadline is not None:
            self._check_deadline()
        gen, atomic = operations.OPS[name](driver.d, self._schema, meta, cls, **args)
        if type(gen) is tuple:
            sql, params, make_row, finish = gen
            async with self._alock:
                rows, count = await driver.execute(sql, params, make_row)
            return finish(rows, count)
        async with self._alock:
            if atomic and not self._in_tx:
                return await driver.run_atomic(gen)
            return await driver.run(gen)

    def tx(self, max_wait: Any = None, timeout: Any = None) -> "AsyncTransaction":
        return AsyncTransaction(self, timeout_seconds(timeout, 5.0), timeout_seconds(max_wait, 2.0))

    def batch_(self) -> "AsyncBatch":
        return AsyncBatch(self)

    async def query_raw(self, query: str, *args: Any, model: Any = None) -> list[Any]:
        """A raw read (on a replica when there are some: use `db.primary().query_raw` for a write that returns rows)."""
        if self._driver is None:
            raise ClientNotConnectedError()
        sql, params = self._raw(query, args)

        async def run(driver: Any) -> tuple[list[str], list[Any]]:
            async with self._alock:
                return await _run_raw_async(driver, sql, params)

        names, rows = await (self._replicas.read(run) if self._reads_from_replicas() else run(self._driver))
        return _raw_rows(self._driver.d, rows, names, model, self._schema)

    async def query_first(self, query: str, *args: Any, model: Any = None) -> Any:
        rows = await self.query_raw(query, *args, model=model)
        return rows[0] if rows else (None if model is not None else {})

    async def execute_raw(self, query: str, *args: Any) -> int:
        if self._driver is None:
            raise ClientNotConnectedError()
        sql, params = self._raw(query, args)
        async with self._alock:
            with _raw_errors():
                _, count = await self._driver.execute(sql, params)
        return max(int(count), 0)


async def _run_raw_async(driver: Any, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
    with _raw_errors():
        names, rows = await driver.query_named(sql, params)
    return names, rows


class AsyncTransaction:
    def __init__(self, client: AsyncClient, timeout: float, max_wait: float = 2.0) -> None:
        self._client = client
        self._timeout = timeout
        self._max_wait = max_wait
        self._tx: Any = None
        self._timer: Any = None
        self._expiry: list[Any] = []  # the rollback task started by the timer (kept referenced)

    async def start(self) -> Any:
        if self._client._driver is None:
            raise ClientNotConnectedError()
        _warn_nested(self._client)
        self._pool = self._client._connections
        with _started_in_time():
            driver = await self._pool.acquire(self._max_wait)  # the transaction's connection, until commit or rollback
        try:
            await driver.execute(driver.begin, [])
        except BaseException:
            await self._pool.release(driver)
            raise
        self._tx = self._client._tx_copy(driver, self._timeout)
        # Roll back AT the timeout, as Prisma does, so a long body does not hold its row locks.
        self._timer = asyncio.get_running_loop().call_later(
            self._timeout, lambda: self._expiry.append(asyncio.ensure_future(self._end("ROLLBACK", "expired"))))
        return self._tx

    async def _end(self, sql: str, state: str) -> None:
        tx = self._tx
        async with tx._alock:  # after a statement that is running: the connection serves one at a time
            if tx._tx_closed is not None:
                return
            if state != "expired":
                self._timer.cancel()
            try:
                if tx._driver.alive():
                    await tx._driver.execute(sql, [])
            finally:
                tx._tx_closed = state
                await self._pool.release(tx._driver)

    async def commit(self) -> None:
        if self._tx is None:
            raise TransactionNotStartedError()
        self._tx._check_deadline()
        await self._end("COMMIT", "committed")
        if self._tx._tx_closed == "expired":  # expired while waiting for the lock: nothing was committed
            self._tx._check_deadline()

    async def rollback(self) -> None:
        if self._tx is None:
            raise TransactionNotStartedError()
        await self._end("ROLLBACK", "rolled back")

    async def __aenter__(self) -> Any:
        return await self.start()

    async def __aexit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            try:
                await self.commit()
            except TransactionExpiredError:
                await self.rollback()
                raise
        else:
            await self.rollback()


class AsyncBatch(_BatchBase):
    async def commit(self) -> None:
        client = self._client
        if client._driver is None:
            raise ClientNotConnectedError()
        async with client._alock:
            if client._in_tx:
                await client._driver.run(self._all())
            else:
                await client._driver.run_atomic(self._all())

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            await self.commit()
