"""Database URLs as Prisma reads them, and masking passwords out of any text.

- `file:./dev.db` (also `sqlite:`): SQLite; a relative path is resolved against the
  schema's folder, as Prisma resolves it.
- `postgresql://` / `postgres://`: `?schema=` names the schema (default "public"); libpq
  parameters (`sslmode`, `connect_timeout`, ...) are passed on, Prisma-only ones dropped.
- `mysql://` (also `mariadb://`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from lamina.errors import LaminaError

# Parameters Prisma understands itself; they are not connection parameters of the driver.
_PRISMA_ONLY = {
    "schema", "connection_limit", "pool_timeout", "pgbouncer", "statement_cache_size",
    "socket_timeout", "connect_timeout", "single_use_connections", "max_connection_lifetime",
    "max_idle_connection_lifetime", "socket",
}
# PostgreSQL: libpq's own parameters, handed to psycopg as they are (TLS with libpq's meaning:
# sslcert/sslkey the client's certificate and key, sslrootcert the CA; .pgpass and PGSSLMODE
# apply as libpq applies them).
_LIBPQ = {"sslmode", "sslcert", "sslkey", "sslrootcert", "sslpassword", "sslcrl", "sslsni", "application_name",
          "options", "host", "target_session_attrs", "channel_binding", "passfile", "gssencmode"}
# MySQL: Prisma's TLS parameters, mapped onto PyMySQL by `pymysql_ssl`.
_MYSQL_TLS = {"sslaccept", "sslcert", "sslidentity", "sslpassword"}
KNOWN_PARAMS = {"postgresql": _PRISMA_ONLY | _LIBPQ, "mysql": _PRISMA_ONLY | _MYSQL_TLS,
                "sqlite": {"connection_limit", "socket_timeout", "connect_timeout", "pool_timeout"}}

PROVIDER_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MySQL"}


@dataclass(frozen=True)
class DatabaseUrl:
    provider: str  # "sqlite" | "postgresql" | "mysql"
    raw: str
    host: str = ""
    port: int | None = None
    user: str = ""
    password: str = ""
    database: str = ""  # PostgreSQL/MySQL database name; SQLite: the file's name
    schema: str = "public"  # PostgreSQL schema; MySQL: the database
    path: Path | None = None  # SQLite file (None for in-memory)
    params: dict[str, str] = field(default_factory=dict)

    @property
    def masked(self) -> str:
        """The URL as printed. The password is cut out where the URL's own parse found it, so one
        with characters free text cannot delimit (a space, an unencoded `@`) is hidden whole."""
        userinfo = urlsplit(self.raw).netloc.rpartition("@")[0]
        user, colon, password = userinfo.partition(":")
        raw = self.raw.replace(userinfo, f"{user}:****", 1) if colon and password else self.raw
        return mask(raw)

    @property
    def host_port(self) -> str:
        return f"{self.host}:{self.port}" if self.port else self.host

    @property
    def connect_timeout(self) -> int:
        try:
            return int(self.params.get("connect_timeout", 5))
        except ValueError:
            return 5

    def unknown_params(self) -> list[str]:
        """Parameters Lamina does not understand: said, never silently dropped."""
        return sorted(k for k in self.params if k not in KNOWN_PARAMS[self.provider])

    def pymysql_ssl(self) -> dict:
        """Prisma's MySQL TLS parameters as PyMySQL arguments: `sslcert` is the CA certificate
        that verifies the server, `sslaccept=strict` (the default once TLS is asked for) checks the
        certificate and host name, `accept_invalid_certs` encrypts without checking. `sslidentity`
        (a PKCS#12 client identity) has no PyMySQL equivalent: a clear error says how to convert it."""
        p = self.params
        if not p.keys() & _MYSQL_TLS:
            return {}
        if "sslidentity" in p:
            raise LaminaError(
                "The MySQL URL parameter `sslidentity` (a PKCS#12 client certificate) is not supported: Lamina's "
                "MySQL driver (PyMySQL) verifies the server with `sslcert` and `sslaccept` but cannot present a "
                "PKCS#12 client identity.", code="P1013")
        accept = p.get("sslaccept", "strict")
        if accept not in ("strict", "accept_invalid_certs"):
            raise LaminaError(f"Invalid value `{accept}` for `sslaccept` in database URL `{self.masked}`: "
                              "use `strict` or `accept_invalid_certs`.", code="P1013")
        kw: dict = {"ssl_verify_cert": accept == "strict", "ssl_verify_identity": accept == "strict"}
        if "sslcert" in p:
            kw["ssl_ca"] = p["sslcert"]
        if accept != "strict" and "ssl_ca" not in kw:
            kw["ssl"] = {"check_hostname": False}  # encrypt, verify nothing
        return kw

    def with_database(self, name: str) -> "DatabaseUrl":
        """The same server, another database (PostgreSQL/MySQL)."""
        parts = urlsplit(self.raw)
        new = parts._replace(path="/" + name).geturl()
        return parse_url(new)

    def describe(self) -> str:
        """Prisma's `Datasource "db": ...` tail, e.g. `PostgreSQL database "app", schema "public" at "h:5432"`."""
        if self.provider == "sqlite":
            return f'SQLite database "{self.database}" at "{self.masked}"'
        if self.provider == "postgresql":
            return f'PostgreSQL database "{self.database}", schema "{self.schema}" at "{self.host_port}"'
        return f'MySQL database "{self.database}" at "{self.host_port}"'

    def libpq_kwargs(self) -> dict:
        kw: dict = {"dbname": self.database, "connect_timeout": self.connect_timeout}
        if self.host:
            kw["host"] = self.host
        if self.port:
            kw["port"] = self.port
        if self.user:
            kw["user"] = self.user
        if self.password:
            kw["password"] = self.password
        for k, v in self.params.items():
            if k in _LIBPQ:
                kw[k] = v
        return kw


def parse_url(url: str, base_dir: Path | str | None = None) -> DatabaseUrl:
    """Parse a datasource URL; `base_dir` anchors relative SQLite paths (the schema's folder)."""
    url = url.strip()
    if not url:
        raise LaminaError("The database URL is empty.", code="P1013")
    lower = url.lower()
    if lower.startswith("file:") or lower.startswith("sqlite:"):
        return _parse_sqlite(url, base_dir)
    scheme = lower.split(":", 1)[0]
    if scheme in ("postgresql", "postgres"):
        provider = "postgresql"
    elif scheme in ("mysql", "mariadb"):
        provider = "mysql"
    else:
        raise LaminaError(
            f"The provided database string is invalid. The scheme is not recognized in database URL `{mask(url)}`. "
            "Use `file:`, `postgresql://` or `mysql://`.",
            code="P1013",
        )
    _check_credentials(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise LaminaError(f"The provided database string is invalid. {exc} in database URL `{mask(url)}`.", code="P1013") from None
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    database = unquote(parts.path.lstrip("/"))
    if provider == "postgresql":
        database = database or "postgres"
        schema = params.get("schema") or "public"
        port = port or 5432
    else:
        schema = database
        port = port or 3306
    # `?host=` wins over the authority, as in libpq and Prisma (`postgresql://u@localhost/db?host=/run/postgresql`
    # is Prisma's documented Unix-socket form); psycopg then reaches the server libpq would.
    host = (params.get("host") if provider == "postgresql" else None) or parts.hostname or params.get("host") or "localhost"
    return DatabaseUrl(
        provider=provider, raw=url, host=host, port=port, user=unquote(parts.username or ""),
        password=unquote(parts.password or ""), database=database, schema=schema, params=params,
    )


def _check_credentials(url: str) -> None:
    """A password with an unencoded `/`, `?` or `#` ends the URL's host part early: the host, port
    and database would be read from the password (and the password shown where a host belongs).
    Say so, with the password hidden, and how to percent-encode it."""
    parts = urlsplit(url)
    tail = parts.path + "?" + parts.query + "#" + parts.fragment
    if "@" in parts.netloc or "@" not in tail:
        return
    scheme, _, rest = url.partition("://")
    host_part = rest[rest.rfind("@") + 1:]
    raise LaminaError(
        f"The database URL `{scheme}://****@{host_part}` cannot be read: its user name or password seems to "
        "contain `/`, `?` or `#`, which end the credentials part of a URL. Percent-encode them in the URL "
        "(`/` as %2F, `?` as %3F, `#` as %23, `@` as %40, `:` as %3A, `%` as %25), e.g. with Python's "
        "urllib.parse.quote(password, safe='').",
        code="P1013",
    )


def _parse_sqlite(url: str, base_dir: Path | str | None) -> DatabaseUrl:
    body = url.split(":", 1)[1]
    body, _, query = body.partition("?")
    params = dict(parse_qsl(query, keep_blank_values=True))
    if body.startswith("//"):  # file:///abs/path
        body = body[2:]
    if body in ("", ":memory:"):
        return DatabaseUrl(provider="sqlite", raw=url, database=":memory:", path=None, params=params)
    path = Path(unquote(body))
    if not path.is_absolute():
        path = Path(base_dir or ".") / path
    path = Path(_normalise(path))
    return DatabaseUrl(provider="sqlite", raw=url, database=path.name, path=path, params=params)


def _normalise(path: Path) -> str:
    import os

    return os.path.normpath(str(path.absolute()))


# The password runs to the last `@` before the path, as URLs are read (`p@ss` is one password).
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)(?P<pw>[^\s/?#]*)(?P<at>@)")
_PARAM_PASSWORD = re.compile(r"(?i)(?P<head>[?&](?:password|sslpassword)=)(?P<pw>[^&\s]*)")


def mask(text: str) -> str:
    """`text` with every password in a URL (user:PASSWORD@ or ?password=) replaced by `****`."""
    if not text:
        return text
    text = _URL_PASSWORD.sub(lambda m: m["head"] + ("****" if m["pw"] else "") + m["at"], text)
    return _PARAM_PASSWORD.sub(lambda m: m["head"] + "****", text)
