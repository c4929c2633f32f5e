"""A minimal PostgreSQL client (protocol v3, simple queries) for the fast paths.

`lamina migrate status` must start fast, and importing psycopg alone costs ~140 ms.
This client speaks just enough of the protocol for reading the migration history:
startup, trust / cleartext / md5 / SCRAM-SHA-256 authentication, simple queries with
text results (bool, integers, floats, text and timestamps converted), errors with their
SQLSTATE. Parameters are inlined as literals (`?` placeholders). Anything it does not
handle (TLS required by `sslmode`) makes `connect_light` return None and the caller use
psycopg.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import hmac
import os
import socket
import struct

from lamina.db.connection import Connection, DatabaseError
from lamina.db.url import DatabaseUrl


class WireError(Exception):
    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(fields.get("M", "error"))
        self.fields = fields
        self.sqlstate = fields.get("C", "")


class _Info:
    def __init__(self) -> None:
        self.server_version = 0
        self.parameters: dict[str, str] = {}


class Wire:
    def __init__(self, url: DatabaseUrl) -> None:
        self.info = _Info()
        host = url.host or "localhost"
        if host.startswith("/"):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(url.connect_timeout)
            self.sock.connect(os.path.join(host, f".s.PGSQL.{url.port or 5432}"))
        else:
            self.sock = socket.create_connection((host, url.port or 5432), timeout=url.connect_timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1) if not host.startswith("/") else None
        self.sock.settimeout(None)
        self.buf = b""
        user = url.user or os.environ.get("PGUSER") or os.environ.get("USER", "postgres")
        params = b"user\0" + user.encode() + b"\0database\0" + url.database.encode() + b"\0client_encoding\0UTF8\0\0"
        body = struct.pack("!i", 196608) + params
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)
        self._authenticate(user, url.password or os.environ.get("PGPASSWORD", ""))

    # -- low level
    def _recv(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection unexpectedly")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _message(self) -> tuple[bytes, bytes]:
        head = self._recv(5)
        kind, length = head[:1], struct.unpack("!i", head[1:])[0]
        return kind, self._recv(length - 4)

    def _send(self, kind: bytes, body: bytes) -> None:
        self.sock.sendall(kind + struct.pack("!i", len(body) + 4) + body)

    @staticmethod
    def _fields(body: bytes) -> dict[str, str]:
        out = {}
        for part in body.split(b"\0"):
            if part:
                out[chr(part[0])] = part[1:].decode("utf-8", "replace")
        return out

    def _authenticate(self, user: str, password: str) -> None:
        scram = None
        while True:
            kind, body = self._message()
            if kind == b"E":
                raise WireError(self._fields(body))
            if kind == b"R":
                code = struct.unpack("!i", body[:4])[0]
                if code == 0:
                    continue
                if code == 3:  # cleartext: only ever used on loopback (see connect_light)
                    self._send(b"p", password.encode() + b"\0")
                elif code == 5:
                    inner = hashlib.md5(password.encode() + user.encode()).hexdigest()
                    outer = "md5" + hashlib.md5(inner.encode() + body[4:8]).hexdigest()
                    self._send(b"p", outer.encode() + b"\0")
                elif code == 10:
                    scram = _Scram(password)
                    first = scram.client_first().encode()
                    self._send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first)
                elif code == 11 and scram:
                    self._send(b"p", scram.client_final(body[4:].decode()).encode())
                elif code == 12 and scram:
                    scram.verify_server_final(body[4:].decode())
                else:
                    raise WireError({"C": "28000", "M": f"unsupported authentication method {code}"})
            elif kind == b"S":
                name, value = body.split(b"\0")[:2]
                self.info.parameters[name.decode()] = value.decode()
            elif kind == b"Z":
                v = self.info.parameters.get("server_version", "0").split()[0]
                parts = (v.split(".") + ["0"])[:2]
                try:
                    self.info.server_version = int(parts[0]) * 10000 + int(parts[1])
                except ValueError:
                    self.info.server_version = 0
                return

    def simple(self, sql: str) -> list[tuple]:
        self._send(b"Q", sql.encode() + b"\0")
        rows: list[tuple] = []
        types: list[int] = []
        error = None
        while True:
            kind, body = self._message()
            if kind == b"T":
                count = struct.unpack("!h", body[:2])[0]
                pos, types = 2, []
                for _ in range(count):
                    end = body.index(b"\0", pos)
                    oid = struct.unpack("!i", body[end + 7:end + 11])[0]
                    types.append(oid)
                    pos = end + 19
                rows = []
            elif kind == b"D":
                count = struct.unpack("!h", body[:2])[0]
                pos, row = 2, []
                for i in range(count):
                    size = struct.unpack("!i", body[pos:pos + 4])[0]
                    pos += 4
                    if size < 0:
                        row.append(None)
                    else:
                        row.append(_convert(types[i], body[pos:pos + size].decode()))
                        pos += size
                rows.append(tuple(row))
            elif kind == b"E":
                error = WireError(self._fields(body))
            elif kind == b"Z":
                if error:
                    raise error
                return rows

    def close(self) -> None:
        try:
            self._send(b"X", b"")
        finally:
            self.sock.close()


def _convert(oid: int, text: str):
    if oid in (20, 21, 23, 26):
        return int(text)
    if oid == 16:
        return text == "t"
    if oid in (700, 701, 1700):
        return float(text) if oid != 1700 else text
    if oid in (1184, 1114):
        value = text.replace(" ", "T", 1)
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except ValueError:
            return text
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)
    return text


class _Scram:
    """SCRAM-SHA-256 (RFC 5802/7677) client side, verifying the server's signature too.

    PostgreSQL ignores the SCRAM user name (it has the startup packet's), so it is empty by default.
    """

    def __init__(self, password: str, *, user: str = "", nonce: str | None = None) -> None:
        self.password = password
        self.nonce = nonce or base64.b64encode(os.urandom(18)).decode()
        self.first_bare = f"n={user},r={self.nonce}"
        self.expected_server_signature = b""

    def client_first(self) -> str:
        return "n,," + self.first_bare

    def client_final(self, server_first: str) -> str:
        attrs = dict(item.split("=", 1) for item in server_first.split(","))
        if not attrs["r"].startswith(self.nonce):
            raise WireError({"C": "28000", "M": "SCRAM: the server's nonce does not extend ours"})
        salted = hashlib.pbkdf2_hmac("sha256", self.password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored = hashlib.sha256(client_key).digest()
        without_proof = f"c=biws,r={attrs['r']}"
        message = f"{self.first_bare},{server_first},{without_proof}".encode()
        signature = hmac.new(stored, message, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        self.expected_server_signature = hmac.new(server_key, message, hashlib.sha256).digest()
        return f"{without_proof},p={base64.b64encode(proof).decode()}"

    def verify_server_final(self, server_final: str) -> None:
        attrs = dict(item.split("=", 1) for item in server_final.split(",") if "=" in item)
        signature = base64.b64decode(attrs.get("v", ""))
        if not self.expected_server_signature or not hmac.compare_digest(signature, self.expected_server_signature):
            raise WireError({"C": "28000", "M": "SCRAM: the server's signature does not match"})


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, _dt.datetime):
        return f"'{value.isoformat()}'::timestamptz"
    return "'" + str(value).replace("'", "''") + "'"


def inline(sql: str, params) -> str:
    """`sql` with its `?` placeholders replaced by SQL literals of `params`."""
    if not params:
        return sql
    parts = sql.split("?")
    if len(parts) != len(params) + 1:
        raise ValueError("placeholder count mismatch")
    out = [parts[0]]
    for value, rest in zip(params, parts[1:]):
        out.append(_literal(value))
        out.append(rest)
    return "".join(out)


class WireConnection(Connection):
    provider = "postgresql"

    def _run(self, sql, params, fetch):
        try:
            rows = self.raw.simple(inline(sql, params))
        except WireError as exc:
            f = exc.fields
            message = f"{f.get('S', 'ERROR')}: {f.get('M', '')}" + (f"\nDETAIL: {f['D']}" if f.get("D") else "")
            raise DatabaseError(message, exc.sqlstate, sql) from None
        return rows if fetch else None


_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def connect_light(url: DatabaseUrl) -> Connection | None:
    """A psycopg-free connection, or None when this client cannot serve the URL.

    Only for a server on this machine (a Unix socket or loopback), where the client speaks no
    TLS anyway: a remote server gets psycopg, which negotiates TLS (`sslmode=prefer`) and
    where the connection time dwarfs the import time this client saves."""
    host = url.host or "localhost"
    if not (host.startswith("/") or host in _LOOPBACK):
        return None
    if url.params.get("sslmode", "prefer") in ("require", "verify-ca", "verify-full") or "sslcert" in url.params:
        return None
    from lamina.db.errors import database_missing, timed_out, unreachable

    try:
        wire = Wire(url)
    except WireError as exc:
        if exc.sqlstate == "3D000":
            raise database_missing(url) from None
        return None  # authentication and the rest: let psycopg handle (and word) it
    except socket.timeout:
        raise timed_out(url) from None
    except OSError:
        raise unreachable(url) from None
    except Exception:  # noqa: BLE001 - anything unexpected: the full driver
        return None
    conn = WireConnection(url, wire)
    if url.schema != "public":
        conn.execute(f'SET search_path TO "{url.schema}"')
    return conn
