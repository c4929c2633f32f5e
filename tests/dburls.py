"""URL helpers for tests: derive database URLs and expected texts from the server in use.

The PostgreSQL server may be TCP (`postgresql://postgres@127.0.0.1:5432/postgres`) or the
`pgserver` wheel's Unix socket (`postgresql://postgres@/postgres?host=/tmp/dir`), so tests
never edit URLs with string operations: the query (`?host=`, `?schema=`) must stay intact.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"postgresql": 5432, "postgres": 5432, "mysql": 3306, "mariadb": 3306}


def with_database(url: str, name: str) -> str:
    """The same server URL with another database name (keeps `?host=/socket/dir` and the like)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    """The database named by a server URL (its path)."""
    return unquote(urlsplit(url).path.lstrip("/"))


def with_credentials(url: str, user: str, password: str | None = None) -> str:
    """The same server URL logged in as `user` (with `password`, if given)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    login = quote(user, safe="") + (f":{quote(password, safe='')}" if password is not None else "")
    return urlunsplit(parts._replace(netloc=f"{login}@{host}"))


def with_params(url: str, **params: str) -> str:
    """The URL with query parameters added or replaced (`?schema=`, `?connect_timeout=`...)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


def server_host(url: str) -> str:
    """The host Lamina reports: the netloc's, else localhost; on PostgreSQL `?host=` (a socket folder) wins."""
    parts = urlsplit(url)
    query_host = dict(parse_qsl(parts.query)).get("host") if parts.scheme.lower() in ("postgresql", "postgres") else None
    return query_host or parts.hostname or dict(parse_qsl(parts.query)).get("host") or "localhost"


def server_port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or _DEFAULT_PORTS[parts.scheme.lower()]


def server_display(url: str) -> str:
    """What Lamina prints as the server location: `host:port` (port defaulting to 5432/3306)."""
    return f"{server_host(url)}:{server_port(url)}"


def is_tcp(url: str) -> bool:
    """Whether the server is reached over TCP (not a Unix socket folder)."""
    return not server_host(url).startswith("/")
