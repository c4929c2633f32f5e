"""Client-side default values, generated as Prisma's engine generates them: `cuid()`,
`cuid(2)`, `uuid()`, `uuid(7)`, `nanoid(n)`, `ulid()`, `now()`."""

from __future__ import annotations

import itertools
import os
import secrets
import socket
import time
import uuid
from datetime import datetime, timezone

_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_NANOID = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_counter = itertools.count(secrets.randbelow(36**4))


def _b36(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _B36[r] + out
    return out.rjust(width, "0")[-width:]


def _fingerprint() -> str:
    pid = _b36(os.getpid(), 2)
    host = sum(ord(c) for c in socket.gethostname()) + len(socket.gethostname()) + 36
    return pid + _b36(host, 2)


_FINGERPRINT = _fingerprint()


def cuid() -> str:
    """A cuid (v1): 'c', time, counter, machine fingerprint, randomness: 25 characters."""
    stamp = _b36(int(time.time() * 1000), 8)
    count = _b36(next(_counter) % 36**4, 4)
    rand = _b36(secrets.randbelow(36**8), 8)
    return "c" + stamp + count + _FINGERPRINT + rand


def cuid2(length: int = 24) -> str:
    return secrets.choice(_B36[10:]) + "".join(secrets.choice(_B36) for _ in range(length - 1))


def uuid4() -> str:
    return str(uuid.uuid4())


def uuid7() -> str:
    ms = int(time.time() * 1000)
    rand = secrets.randbits(74)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 62) << 64 | 0b10 << 62 | (rand & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


def nanoid(size: int = 21) -> str:
    return "".join(secrets.choice(_NANOID) for _ in range(size))


def ulid() -> str:
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def now() -> datetime:
    t = datetime.now(timezone.utc)
    return t.replace(microsecond=t.microsecond - t.microsecond % 1000)


def generate(kind: str, args: list[object]) -> object:
    if kind == "cuid":
        return cuid2() if args and int(str(args[0])) == 2 else cuid()
    if kind == "uuid":
        return uuid7() if args and int(str(args[0])) == 7 else uuid4()
    if kind == "nanoid":
        return nanoid(int(str(args[0]))) if args else nanoid()
    if kind == "ulid":
        return ulid()
    if kind == "now":
        return now()
    raise ValueError(kind)


CLIENT_SIDE = {"cuid", "uuid", "nanoid", "ulid", "now"}
