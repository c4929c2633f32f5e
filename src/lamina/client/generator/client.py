"""Generate `actions.py` (typed query methods per model) and `client.py` (the `Prisma` class)."""

from __future__ import annotations

from lamina.datamodel import Datamodel

from .common import HEADER, group_by_output
from .meta import client_models, has_unique_criterion, instance_name, scalar_fields

_ACTIONS = '''

class {M}Actions(Generic[_ModelT]):
    """Queries on {M} records."""

    __slots__ = ("_client", "_model")
    _meta = _META

    def __init__(self, client: Prisma, model: Type[_ModelT]) -> None:
        self._client = client
        self._model = model

    {DEF} query_raw(self, query: str, *args: Any) -> List[_ModelT]:
        """Run raw SQL returning {M} rows; pass values as `*args`, never inside the text."""
        result = {AWAIT}self._client.query_raw(query, *args, model=self._model)
        return cast("List[_ModelT]", result)

    {DEF} query_first(self, query: str, *args: Any) -> Optional[_ModelT]:
        result = {AWAIT}self._client.query_first(query, *args, model=self._model)
        return cast("Optional[_ModelT]", result)

    {DEF} create(
        self,
        data: types.{M}CreateInput,
        include: Optional[types.{M}Include] = None,
    ) -> _ModelT:
        """Create a {M} record (with nested writes in `data`)."""
        args = {{"data": data, "include": include}}
        result = {AWAIT}self._client._execute("create", self._meta, self._model, args)
        return cast(_ModelT, result)

    {DEF} create_many(
        self,
        data: List[types.{M}CreateWithoutRelationsInput],
        *,
        skip_duplicates: Optional[bool] = None,
    ) -> int:
        """Create many {M} records at once; returns how many were created."""
        args = {{"data": data, "skip_duplicates": skip_duplicates}}
        result = {AWAIT}self._client._execute("create_many", self._meta, self._model, args)
        return cast(int, result)

    {DEF} create_many_and_return(
        self,
        data: List[types.{M}CreateWithoutRelationsInput],
        *,
        skip_duplicates: Optional[bool] = None,
    ) -> List[_ModelT]:
        """Create many {M} records at once and return them (SQLite and PostgreSQL)."""
        args = {{"data": data, "skip_duplicates": skip_duplicates}}
        result = {AWAIT}self._client._execute("create_many_and_return", self._meta, self._model, args)
        return cast("List[_ModelT]", result)

    {DEF} delete(
        self,
        where: types.{M}WhereUniqueInput,
        include: Optional[types.{M}Include] = None,
    ) -> Optional[_ModelT]:
        """Delete one {M} record; None when no record matched."""
        args = {{"where": where, "include": include}}
        result = {AWAIT}self._client._execute("delete", self._meta, self._model, args)
        return cast("Optional[_ModelT]", result)

    {DEF} find_unique(
        self,
        where: types.{M}WhereUniqueInput,
        include: Optional[types.{M}Include] = None,
        *,
        select: Optional[types.{M}Select] = None,
    ) -> Optional[_ModelT]:
        """Find one {M} record by a unique criterion; None when there is none."""
        result = {AWAIT}self._client._find_unique(self._meta, self._model, where, include, select, False)
        return cast("Optional[_ModelT]", result)

    {DEF} find_unique_or_raise(
        self,
        where: types.{M}WhereUniqueInput,
        include: Optional[types.{M}Include] = None,
        *,
        select: Optional[types.{M}Select] = None,
    ) -> _ModelT:
        """Find one {M} record by a unique criterion; raises `RecordNotFoundError` when there is none."""
        result = {AWAIT}self._client._find_unique(self._meta, self._model, where, include, select, True)
        return cast(_ModelT, result)

    {DEF} find_many(
        self,
        take: Optional[int] = None,
        skip: Optional[int] = None,
        where: Optional[types.{M}WhereInput] = None,
        cursor: Optional[types.{M}WhereUniqueInput] = None,
        include: Optional[types.{M}Include] = None,
        order: Optional[Union[types.{M}OrderByInput, List[types.{M}OrderByInput]]] = None,
        distinct: Optional[List[types.{M}ScalarFieldKeys]] = None,
        *,
        select: Optional[types.{M}Select] = None,
    ) -> List[_ModelT]:
        """Find {M} records; an empty list when none match."""
        args = {{
            "take": take, "skip": skip, "where": where, "cursor": cursor, "include": include,
            "order": order, "distinct": distinct, "select": select,
        }}
        result = {AWAIT}self._client._execute("find_many", self._meta, self._model, args)
        return cast("List[_ModelT]", result)

    def stream(
        self,
        take: Optional[int] = None,
        skip: Optional[int] = None,
        where: Optional[types.{M}WhereInput] = None,
        cursor: Optional[types.{M}WhereUniqueInput] = None,
        order: Optional[Union[types.{M}OrderByInput, List[types.{M}OrderByInput]]] = None,
        *,
        batch_size: int = 1000,
    ) -> {ITERATOR}[_ModelT]:
        """The {M} records find_many would return, read `batch_size` rows at a time from a
        database cursor: memory stays flat however many rows match (no include/select/distinct)."""
        args = {{"take": take, "skip": skip, "where": where, "cursor": cursor, "order": order}}
        return cast("{ITERATOR}[_ModelT]", self._client._stream(self._meta, self._model, batch_size, args))

    {DEF} find_first(
        self,
        skip: Optional[int] = None,
        where: Optional[types.{M}WhereInput] = None,
        cursor: Optional[types.{M}WhereUniqueInput] = None,
        include: Optional[types.{M}Include] = None,
        order: Optional[Union[types.{M}OrderByInput, List[types.{M}OrderByInput]]] = None,
        distinct: Optional[List[types.{M}ScalarFieldKeys]] = None,
        *,
        select: Optional[types.{M}Select] = None,
    ) -> Optional[_ModelT]:
        """The first {M} record matching; None when none does."""
        args = {{
            "skip": skip, "where": where, "cursor": cursor, "include": include,
            "order": order, "distinct": distinct, "select": select,
        }}
        result = {AWAIT}self._client._execute("find_first", self._meta, self._model, args)
        return cast("Optional[_ModelT]", result)

    {DEF} find_first_or_raise(
        self,
        skip: Optional[int] = None,
        where: Optional[types.{M}WhereInput] = None,
        cursor: Optional[types.{M}WhereUniqueInput] = None,
        include: Optional[types.{M}Include] = None,
        order: Optional[Union[types.{M}OrderByInput, List[types.{M}OrderByInput]]] = None,
        distinct: Optional[List[types.{M}ScalarFieldKeys]] = None,
        *,
        select: Optional[types.{M}Select] = None,
    ) -> _ModelT:
        """The first {M} record matching; raises `RecordNotFoundError` when none does."""
        args = {{
            "skip": skip, "where": where, "cursor": cursor, "include": include,
            "order": order, "distinct": distinct, "select": select, "raise_": True,
        }}
        result = {AWAIT}self._client._execute("find_first", self._meta, self._model, args)
        return cast(_ModelT, result)

    {DEF} update(
        self,
        data: types.{M}UpdateInput,
        where: types.{M}WhereUniqueInput,
        include: Optional[types.{M}Include] = None,
    ) -> Optional[_ModelT]:
        """Update one {M} record; None when no record matched."""
        args = {{"data": data, "where": where, "include": include}}
        result = {AWAIT}self._client._execute("update", self._meta, self._model, args)
        return cast("Optional[_ModelT]", result)

    {DEF} upsert(
        self,
        where: types.{M}WhereUniqueInput,
        data: types.{M}UpsertInput,
        include: Optional[types.{M}Include] = None,
    ) -> _ModelT:
        """Update the {M} record matching `where`, or create it."""
        args = {{"where": where, "data": data, "include": include}}
        result = {AWAIT}self._client._execute("upsert", self._meta, self._model, args)
        return cast(_ModelT, result)

    {DEF} update_many(
        self,
        data: types.{M}UpdateManyMutationInput,
        where: types.{M}WhereInput,
    ) -> int:
        """Update every {M} record matching; returns how many were."""
        args = {{"data": data, "where": where}}
        result = {AWAIT}self._client._execute("update_many", self._meta, self._model, args)
        return cast(int, result)

    @overload
    {DEF} count(
        self,
        select: None = None,
        take: Optional[int] = None,
        skip: Optional[int] = None,
        where: Optional[types.{M}WhereInput] = None,
        cursor: Optional[types.{M}WhereUniqueInput] = None,
    ) -> int: ...

    @overload
    {DEF} count(
        self,
        select: types.{M}CountAggregateInput,
        take: Optional[int] = None,
        skip: Optional[int] = None,
        where: Optional[types.{M}WhereInput] = None,
        cursor: Optional[types.{M}WhereUniqueInput] = None,
    ) -> types.{M}CountAggregateOutput: ...

    {DEF} count(
        self,
        select: Optional[types.{M}CountAggregateInput] = None,
        take: Optional[int] = None,
        skip: Optional[int] = None,
        where: Optional[types.{M}WhereInput] = None,
        cursor: Optional[types.{M}WhereUniqueInput] = None,
    ) -> Union[int, types.{M}CountAggregateOutput]:
        """Count {M} records; with `select`, count non-null values per field."""
        args = {{"select": select, "take": take, "skip": skip, "where": where, "cursor": cursor}}
        result = {AWAIT}self._client._execute("count", self._meta, self._model, args)
        return cast("Union[int, types.{M}CountAggregateOutput]", result)

    {DEF} delete_many(self, where: Optional[types.{M}WhereInput] = None) -> int:
        """Delete every {M} record matching; returns how many were."""
        args = {{"where": where}}
        result = {AWAIT}self._client._execute("delete_many", self._meta, self._model, args)
        return cast(int, result)

{GROUP_BY_OVERLOADS}    @overload
    {DEF} group_by(
        self,
        by: List[types.{M}ScalarFieldKeys],
{GROUP_BY_KWARGS}    ) -> List[types.{M}GroupByOutput]: ...

    {DEF} group_by(
        self,
        by: List[Any],
{GROUP_BY_KWARGS}    ) -> List[Any]:
        """Group {M} records by `by` and aggregate each group."""
        args = {{
            "by": by, "where": where, "take": take, "skip": skip, "avg": avg, "sum": sum,
            "min": min, "max": max, "having": having, "count": count, "order": order,
        }}
        result = {AWAIT}self._client._execute("group_by", self._meta, self._model, args)
        return cast("List[Any]", result)
'''

# The keyword arguments every group_by overload shares.
_GROUP_BY_KWARGS = """        *,
        where: Optional[types.{M}WhereInput] = None,
        take: Optional[int] = None,
        skip: Optional[int] = None,
        avg: Optional[types.{M}AvgAggregateInput] = None,
        sum: Optional[types.{M}SumAggregateInput] = None,
        min: Optional[types.{M}MinAggregateInput] = None,
        max: Optional[types.{M}MaxAggregateInput] = None,
        having: Optional[types.{M}ScalarWhereWithAggregatesInput] = None,
        count: Optional[Union[bool, types.{M}CountAggregateInput]] = None,
        order: Optional[types.{M}GroupByOrderInput] = None,
"""

# `by=["x"]` gives rows where `x` is a required key (`rows[0]["x"]` type-checks under pyright's
# reportTypedDictNotRequiredAccess); any other `by` falls through to {M}GroupByOutput. mypy's overlap
# check ignores that List is invariant, so it takes List[Literal["x"]] to overlap List[<all keys>]: the
# ignore says the overlap is deliberate (only a literal one-key list picks the narrow row type).
_GROUP_BY_OVERLOAD = """    @overload
    {DEF} group_by(  # type: ignore[overload-overlap]
        self,
        by: List[Literal["{F}"]],
{GROUP_BY_KWARGS}    ) -> List[types.{OUT}]: ...

"""


_STRATEGY_PARAM = (
    "        select: Optional[types.{M}Select] = None,\n"
    "        relation_load_strategy: Optional[Literal[\"join\", \"query\"]] = None,\n    )"
)


_WRITE_ARGS = ('{{"data": data, "include": include}}', '{{"where": where, "include": include}}',
               '{{"data": data, "where": where, "include": include}}', '{{"where": where, "data": data, "include": include}}')


def _with_relation_load_strategy(text: str) -> str:
    """The read actions, and the writes that return a record with an `include` (create, update,
    upsert, delete), with Prisma's `relationLoadStrategy` (the relationJoins preview feature)."""
    for returns in ("_ModelT", "Optional[_ModelT]"):
        text = text.replace(f"        include: Optional[types.{{M}}Include] = None,\n    ) -> {returns}:\n",
                            f"        include: Optional[types.{{M}}Include] = None,\n"
                            f"        relation_load_strategy: Optional[Literal[\"join\", \"query\"]] = None,\n    ) -> {returns}:\n")
    for args in _WRITE_ARGS:
        text = text.replace(f"args = {args}\n", f"args = {args[:-2]}, \"relation_load_strategy\": relation_load_strategy}}}}\n")
    text = text.replace("        select: Optional[types.{M}Select] = None,\n    )", _STRATEGY_PARAM)
    text = text.replace('"select": select,\n', '"select": select, "relation_load_strategy": relation_load_strategy,\n')
    text = text.replace('"select": select, "raise_": True,', '"select": select, "raise_": True, "relation_load_strategy": relation_load_strategy,')
    for raise_ in ("False", "True"):
        text = text.replace(
            f"        result = {{AWAIT}}self._client._find_unique(self._meta, self._model, where, include, select, {raise_})\n",
            "        if relation_load_strategy is None:\n"
            f"            result = {{AWAIT}}self._client._find_unique(self._meta, self._model, where, include, select, {raise_})\n"
            "        else:\n"
            f'            args = {{{{"where": where, "include": include, "select": select, "raise_": {raise_},\n'
            '                     "relation_load_strategy": relation_load_strategy}}\n'
            '            result = {AWAIT}self._client._execute("find_unique", self._meta, self._model, args)\n')
    return text


_WRITE_ACTIONS = ("create", "create_many", "create_many_and_return", "delete", "update", "upsert", "update_many", "delete_many")


def _read_only(text: str, unique: bool = True) -> str:
    """The action template without its write methods: a view's actions (views are read-only, as
    in Prisma 7.10.1's client); without a unique criterion, no find_unique either."""
    import re

    names = "|".join(_WRITE_ACTIONS + (() if unique else ("find_unique", "find_unique_or_raise")))
    return re.sub(r"\n    \{DEF\} (?:" + names + r")\(.*?(?=\n    (?:@overload|\{DEF\})|\n\{GROUP_BY)", "", text, flags=re.S)


def render_actions(dm: Datamodel, is_async: bool) -> str:
    models = client_models(dm)
    joins = any("relationJoins" in g.preview_features for g in dm.generators)
    out = [
        HEADER,
        # The action classes are the client's own methods split out per model: they call its protected
        # query entry points (`_execute`, `_find_unique`), which are not for users.
        "# pyright: reportPrivateUsage=false\n",
        "from __future__ import annotations\n\n",
        "from typing import (TYPE_CHECKING, Any, AsyncIterator, Generic, Iterator, List, Literal, Optional, Type, TypeVar,\n"
        "                    Union, cast, overload)\n\n",
        "from pydantic import BaseModel\n\n",
        "from . import types\n",
        "from ._meta import SCHEMA\n\n",
        "if TYPE_CHECKING:\n    from .client import Prisma\n\n",
        '_ModelT = TypeVar("_ModelT", bound=BaseModel)\n',
    ]
    for m in models:
        overloads = "".join(_GROUP_BY_OVERLOAD.replace("{F}", f.name).replace("{OUT}", group_by_output(m.name, f.name))
                            for f in scalar_fields(m))
        template = _read_only(_ACTIONS, has_unique_criterion(m)) if m.is_view else _ACTIONS
        text = template.replace("{GROUP_BY_OVERLOADS}", overloads).replace("{GROUP_BY_KWARGS}", _GROUP_BY_KWARGS)
        if joins:
            text = _with_relation_load_strategy(text)
        text = text.replace("{M}", m.name).replace("{DEF}", "async def" if is_async else "def")
        text = text.replace("{ITERATOR}", "AsyncIterator" if is_async else "Iterator")
        text = text.replace("{AWAIT}", "await " if is_async else "").replace("{{", "{").replace("}}", "}")
        text = text.replace("_META", f'SCHEMA.models["{m.name}"]')
        out.append(text)
    return "".join(out)


def render_client(dm: Datamodel, is_async: bool) -> str:
    models = client_models(dm)
    base = "AsyncClient" if is_async else "SyncClient"
    tx_base = "AsyncTransaction" if is_async else "SyncTransaction"
    batch_base = "AsyncBatch" if is_async else "SyncBatch"
    enter = "async def __aenter__" if is_async else "def __enter__"
    attrs = "".join(f"    {instance_name(m)}: actions.{m.name}Actions[models.{m.name}]\n" for m in models)
    inits = "".join(f"        self.{instance_name(m)} = actions.{m.name}Actions[models.{m.name}](self, models.{m.name})\n" for m in models)
    batch_attrs = "".join(f"    {instance_name(m)}: {m.name}BatchActions\n" for m in models)
    # prisma-client-py's class names: code finds a batch's members by the `Actions` suffix
    batch_classes = "".join(
        f"\n\nclass {m.name}BatchActions(BatchActions):\n    \"\"\"{m.name} writes queued in a batch.\"\"\"\n"
        for m in models)
    batch_map = "".join(f"        {m.name!r}: {m.name}BatchActions,\n" for m in models)
    aw = "await " if is_async else ""
    inits = inits or "        pass\n"
    batch_attrs = batch_attrs or "    pass\n"
    first = instance_name(models[0]) if models else "model"
    with_ = "async with" if is_async else "with"
    query_typed = "async def query_typed" if is_async else "def query_typed"
    mode = "async" if is_async else "sync"
    return f'''{HEADER}from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional, Sequence, TypeVar

from lamina.client.runtime import client as _runtime
from lamina.client.runtime import typed as _typed
from lamina.client.runtime.client import BatchActions as BatchActions
from lamina.client.runtime.typed import TypedQuery

from . import actions, models, types
from ._meta import SCHEMA

__all__ = ["Prisma", "Lamina", "Batch", "TransactionManager", "register", "get_client"]

_PACKAGE = __name__.rpartition(".")[0]
_RowT = TypeVar("_RowT")


class Prisma(_runtime.{base}):
    """The database client: one attribute per model (`db.{first}`), `tx()`, `batch_()`, raw SQL."""

{attrs}
    _schema = SCHEMA
    _package = _PACKAGE
    _package_dir = Path(__file__).resolve().parent

    def __init__(
        self,
        *,
        use_dotenv: bool = True,
        log_queries: bool = False,
        auto_register: bool = False,
        datasource: Optional[types.DatasourceOverride] = None,
        connect_timeout: Any = None,
        http: Any = None,
        read_replicas: Optional[Sequence[str]] = None,
    ) -> None:
        super().__init__(
            use_dotenv=use_dotenv, log_queries=log_queries, auto_register=auto_register,
            datasource=datasource, connect_timeout=connect_timeout, http=http, read_replicas=read_replicas,
        )
        self._init_actions()

    def _init_actions(self) -> None:
{inits}
    {query_typed}(self, query: TypedQuery[_RowT]) -> List[_RowT]:
        """Run a typed SQL query: `db.query_typed(sql.users_older_than(min_age=18))` (`lamina generate --sql`)."""
        return {aw}_typed.run_{mode}(self, query)

    def tx(self, max_wait: Any = None, timeout: Any = None) -> TransactionManager:
        """A transaction: `{with_} db.tx() as tx:` commits on success, rolls back on error."""
        return TransactionManager(self, _runtime.timeout_seconds(timeout, 5.0), _runtime.timeout_seconds(max_wait, 2.0))

    def batch_(self) -> Batch:
        """Queue writes and run them in one transaction on `commit()` (or on leaving `{with_}`)."""
        return Batch(self)


Lamina = Prisma


class TransactionManager(_runtime.{tx_base}):
    {enter}(self) -> Prisma:
        client: Prisma = {aw}self.start()
        return client


{batch_classes}

class Batch(_runtime.{batch_base}):
{batch_attrs}
    _actions_classes = {{
{batch_map}    }}

    {enter}(self) -> Batch:
        return self


def register(client: Prisma) -> None:
    """Make `client` the one `Model.prisma()` uses."""
    _runtime.register(client, _PACKAGE)


def get_client() -> Prisma:
    """The registered client."""
    client: Prisma = _runtime.get_client(_PACKAGE)
    return client
'''
