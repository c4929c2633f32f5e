"""The studio's web application (Starlette): pages rendered on the server, a little plain JavaScript.

Safety, as Jupyter does it: every request must carry the random token of the start-up URL
(`?token=`, exchanged at once for a SameSite=Strict, HttpOnly cookie), so another site open in
the same browser cannot drive the studio; the Host header must be one this server was started
for (DNS rebinding); a POST whose Origin is another site is refused. All writes go through the
generated client (bound parameters); tables are read a page at a time.
"""

from __future__ import annotations

import hmac
import json
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from lamina.datamodel import Arity, RelationKind
from lamina.studio.data import FILTER_OPS, PAGE_SIZES, InputError, Studio, display

HERE = Path(__file__).parent
COOKIE = "lamina_studio_token"


class Guard:
    """ASGI middleware: the token, the Host header and the Origin of writes."""

    def __init__(self, app: Any, token: str, hosts: set[str]) -> None:
        self.app = app
        self.token = token
        self.hosts = hosts

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = (request.headers.get("host") or "").lower()
        if host not in self.hosts:
            await PlainTextResponse("Refused: this studio does not serve the host " + repr(host) + ".", 403)(scope, receive, send)
            return
        given = request.query_params.get("token")
        if given is not None and hmac.compare_digest(given, self.token):
            # trade the URL's token for a cookie, and drop it from the address bar
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + ("?" + urlencode(params) if params else "")
            response = RedirectResponse(target, 303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
            await response(scope, receive, send)
            return
        cookie = request.cookies.get(COOKIE, "")
        if not hmac.compare_digest(cookie, self.token):
            await PlainTextResponse(
                "Refused: open the studio with the URL that `lamina studio` printed (it carries the access token).",
                403)(scope, receive, send)
            return
        origin = request.headers.get("origin")
        if request.method == "POST" and origin and origin.split("://", 1)[-1].lower() not in self.hosts:
            await PlainTextResponse("Refused: a write from another site.", 403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(studio: Studio, token: str, hosts: set[str], read_only: bool = False,
               migrations: Any = None) -> Starlette:
    """`migrations(drift: bool)`: the migration history for the Migrations page (see `history.py`)."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(display=display, json=json, read_only=read_only, Arity=Arity, urlencode=urlencode)

    def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        context.setdefault("models", studio.models)
        return templates.TemplateResponse(request, name, context, status_code=status)

    async def index(request: Request) -> Response:
        return page(request, "index.html", counts=studio.counts())

    def relation_links(model: Any, row: dict[str, Any]) -> list[dict[str, Any]]:
        """Each relation field of a row: a link to the related row (to-one) or rows (to-many)."""
        links = []
        for rel in studio.relations(model):
            r = studio.relation_of(model, rel)
            if r is None:
                continue
            if r.kind == RelationKind.IMPLICIT_MANY_TO_MANY:
                key = studio.key_of(model, row)
                where = {_back(r, model.name, rel.name): {"some": {k: display(v) for k, v in key.items()}}}
                links.append({"field": rel.name, "model": rel.related_model, "where": where, "many": True})
            elif r.referencing_model == model.name and r.referencing_field == rel.name:  # this row holds the FK
                values = [row.get(f) for f in r.fields]
                if all(v is not None for v in values):
                    links.append({"field": rel.name, "model": rel.related_model, "many": False,
                                  "key": {ref: display(v) for ref, v in zip(r.references, values)}})
                else:
                    links.append({"field": rel.name, "model": rel.related_model, "many": False, "key": None})
            else:  # the related rows hold the FK
                where = {f: row.get(ref) for f, ref in zip(r.fields, r.references)}
                links.append({"field": rel.name, "model": rel.related_model, "where": where,
                              "many": rel.arity == Arity.LIST})
        return links

    async def table(request: Request) -> Response:
        model = studio.model(request.path_params["model"])
        q = request.query_params
        filters = {}
        for key, value in q.multi_items():
            if key.startswith("f.") and key.count(".") == 2:
                _, field, op = key.split(".")
                if value != "" or op in ("null", "notnull"):
                    filters[field] = (op, value)
        sort, desc = q.get("sort"), q.get("dir") == "desc"
        per_page = int(q.get("per", PAGE_SIZES[1])) if q.get("per", "").isdigit() else PAGE_SIZES[1]
        per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[1]
        number = int(q.get("page", "1")) if q.get("page", "1").isdigit() else 1
        error, result = None, None
        try:
            where = studio.where_from(model, filters, q.get("where"))
            result = studio.page(model, where, sort, desc, number, per_page)
        except InputError as exc:
            error = str(exc)
        except Exception as exc:  # the client's own errors (an unknown field in `where`...)
            error = _words(exc)
        back = _back_columns(studio, model, result.rows) if result else []
        return page(request, "table.html", status=400 if error else 200, model=model, result=result, error=error,
                    fields=studio.scalars(model), filters=filters, sort=sort, desc=desc, per_page=per_page,
                    page_sizes=PAGE_SIZES, ops=FILTER_OPS, where_text=q.get("where", ""), back=back,
                    fk_links=_fk_links(studio, model),
                    key_of=lambda row: json.dumps({k: display(v) for k, v in studio.key_of(model, row).items()}),
                    query=lambda **changes: _query(q, changes))

    async def row_view(request: Request) -> Response:
        model = studio.model(request.path_params["model"])
        key = _key(request)
        row = studio.row(model, key)
        if row is None:
            return page(request, "message.html", 404, title="Not found", message=f"No {model.name} with {key}.")
        return page(request, "row.html", model=model, row=row, key=json.dumps(key), fields=studio.scalars(model),
                    links=relation_links(model, row), enum_values=studio.enum_values, error=None,
                    form=None, creating=False)

    async def new_view(request: Request) -> Response:
        model = studio.model(request.path_params["model"])
        return page(request, "row.html", model=model, row={}, key=None, fields=studio.scalars(model), links=[],
                    enum_values=studio.enum_values, error=None, form=dict(request.query_params), creating=True)

    async def save(request: Request) -> Response:
        model = studio.model(request.path_params["model"])
        if read_only or model.is_view:
            return page(request, "message.html", 403, title="Read-only", message="This studio is read-only.")
        form = {k: str(v) for k, v in (await request.form()).multi_items()}
        creating = form.get("__key", "") == ""
        tz = int(form.get("__tz", "0") or 0) if form.get("__tz", "0").lstrip("-").isdigit() else 0
        try:
            data = studio.data_from_form(model, form, creating, tz)
            if creating:
                key = studio.create(model, data)
                key = {k: display(v) for k, v in key.items()}
            else:
                key = json.loads(form["__key"])
                studio.update(model, key, data)
        except Exception as exc:  # the client's errors and InputError: shown beside the form, the values kept
            return page(request, "row.html", 400, model=model, row={}, key=form.get("__key") or None,
                        fields=studio.scalars(model), links=[], enum_values=studio.enum_values, error=_words(exc),
                        form=form, creating=creating)
        return RedirectResponse(f"/model/{model.name}/row?{urlencode({'key': json.dumps(key)})}&saved=1", 303)

    async def delete(request: Request) -> Response:
        model = studio.model(request.path_params["model"])
        if read_only or model.is_view:
            return page(request, "message.html", 403, title="Read-only", message="This studio is read-only.")
        form = await request.form()
        key = json.loads(str(form["__key"]))
        try:
            studio.delete(model, key)
        except Exception as exc:
            row = studio.row(model, key) or {}
            return page(request, "row.html", 409, model=model, row=row, key=json.dumps(key), fields=studio.scalars(model),
                        links=relation_links(model, row), enum_values=studio.enum_values, error=_words(exc, model.name),
                        form=None, creating=False)
        return RedirectResponse(f"/model/{model.name}?deleted=1", 303)

    async def schema(request: Request) -> Response:
        from lamina.studio.diagram import schema_svg

        return page(request, "schema.html", svg=schema_svg(studio.dm))

    async def history(request: Request) -> Response:
        try:
            state = migrations(request.query_params.get("drift") == "1") if migrations else None
            error = None
        except Exception as exc:
            state, error = None, _words(exc)
        return page(request, "migrations.html", state=state, error=error)

    async def failure(request: Request, exc: Exception) -> Response:
        if isinstance(exc, InputError):
            return page(request, "message.html", 400, title="Bad request", message=str(exc))
        traceback.print_exception(exc)  # to the terminal running the studio, never to the page
        return page(request, "message.html", 500, title="Error", message=_words(exc))

    routes = [
        Route("/", index),
        Route("/model/{model}", table),
        Route("/model/{model}/row", row_view),
        Route("/model/{model}/new", new_view),
        Route("/model/{model}/save", save, methods=["POST"]),
        Route("/model/{model}/delete", delete, methods=["POST"]),
        Route("/schema", schema),
        Route("/migrations", history),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(Guard, token=token, hosts=hosts)],
                     exception_handlers={Exception: failure, InputError: failure})


def _back(r: Any, model: str, field: str) -> str:
    """For an m:n relation field of `model`: the field on the other model pointing back."""
    return r.back_field if r.referencing_model == model and r.referencing_field == field else r.referencing_field


def _key(request: Request) -> dict[str, Any]:
    try:
        key = json.loads(request.query_params.get("key", ""))
    except json.JSONDecodeError:
        raise InputError("The row's key is not valid JSON.") from None
    if not isinstance(key, dict) or not key:
        raise InputError("The row's key must be a JSON object of its key fields.")
    return key


def _query(q: Any, changes: dict[str, Any]) -> str:
    params = {k: v for k, v in q.multi_items()}
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    return urlencode(params)


def _fk_links(studio: Studio, model: Any) -> dict[str, tuple[str, str]]:
    """Foreign-key fields of `model` held alone: field -> (related model, referenced field)."""
    return {r.fields[0]: (r.referenced_model, r.references[0]) for r in studio.dm.relations
            if r.referencing_model == model.name and len(r.fields) == 1 and r.kind != RelationKind.IMPLICIT_MANY_TO_MANY}


def _back_columns(studio: Studio, model: Any, rows: list[dict[str, Any]]) -> list[tuple[str, list[tuple[Any, str]]]]:
    """For each to-many relation of `model`: per row, how many related rows (one grouped query per
    relation for the whole page, where a single foreign key holds it; m:n shows a link only) and
    the link to them."""
    columns = []
    for rel in studio.relations(model):
        if rel.arity != Arity.LIST:
            continue
        r = studio.relation_of(model, rel)
        if r is None:
            continue
        cells: list[tuple[Any, str]] = []
        if r.kind == RelationKind.IMPLICIT_MANY_TO_MANY:
            back = _back(r, model.name, rel.name)
            for row in rows:
                key = {k: display(v) for k, v in studio.key_of(model, row).items()}
                cells.append(("…", _rows_href(rel.related_model, {back: {"some": key}})))
        else:
            counts: dict[Any, int] = {}
            values = [row[r.references[0]] for row in rows if row.get(r.references[0]) is not None]
            if len(r.fields) == 1 and values:
                related = studio.actions(studio.model(r.referencing_model))
                for g in related.group_by(by=[r.fields[0]], where={r.fields[0]: {"in": values}}, count=True):
                    counts[g[r.fields[0]]] = g["_count"]["_all"]
            for row in rows:
                where = {f: display(row.get(ref)) for f, ref in zip(r.fields, r.references)}
                cells.append((counts.get(row.get(r.references[0]), 0) if len(r.fields) == 1 else "…",
                              _rows_href(rel.related_model, where)))
        columns.append((rel.name, cells))
    return columns


def _rows_href(model: str, where: dict[str, Any]) -> str:
    return f"/model/{model}?" + urlencode({"where": json.dumps(where)})


def _words(exc: BaseException, model: str | None = None) -> str:
    """An error as a sentence for the page (the client's errors already are; a foreign key is explained)."""
    name = type(exc).__name__
    text = str(exc).strip() or name
    if name == "ForeignKeyViolationError":
        what = f"This {model} row" if model else "This row"
        return (f"{what} cannot be deleted or changed: other rows still refer to it through a foreign key, and "
                f"the relation does not cascade. Delete or re-point those rows first. ({text})")
    if name == "UniqueViolationError":
        return f"Another row already has this value, and it must be unique. ({text})"
    if name == "ValidationError" and hasattr(exc, "errors"):
        parts = []
        for e in exc.errors():
            loc = ".".join(str(p) for p in e.get("loc", ()) if p not in ("data",))
            parts.append(f"{loc}: {e.get('msg')}" if loc else str(e.get("msg")))
        return "; ".join(parts)
    return text
