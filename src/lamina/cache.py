"""The repeat-run cache: work that cannot have changed is not done twice.

A command run again on an unchanged schema (`validate` in a pre-commit hook or an editor,
`generate`, `migrate dev` with no change) reuses what the previous run computed from the same
input. Entries are keyed on everything the result depends on: the input's bytes (each schema
file's name and text), Lamina's version, and a fingerprint of Lamina's installed source files
(so that an edited checkout never reads results of the code it replaced).

Where: `$LAMINA_CACHE_DIR`, else `$XDG_CACHE_HOME/lamina`, else `~/.cache/lamina`.
Off: `LAMINA_CACHE=0` (or `off`, `false`, `no`). Deleting the folder is always safe.

Safety: an entry is one file, `<kind>-<key>`, holding a header (magic, payload length, the
payload's SHA-256) and the payload. A file that is short, damaged or of another format is
ignored, removed and rebuilt, never trusted. Entries are written to a temporary file and renamed
into place, so a run killed half-way or two runs at once never leave a torn entry. Any error
of the file system (read-only home, full disk) only means no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
from functools import lru_cache
from pathlib import Path

_MAGIC = b"lamina-cache-1\n"
_HEADER = len(_MAGIC) + 8 + 32  # magic, payload length (8 bytes, big-endian), sha256 of the payload
_OFF = {"0", "off", "false", "no"}


def enabled() -> bool:
    return os.environ.get("LAMINA_CACHE", "1").strip().lower() not in _OFF


def directory() -> Path:
    explicit = os.environ.get("LAMINA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lamina"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Lamina's version and the name, size and modification time of each of its source files:
    a release and an edited development checkout both change it."""
    from lamina import __version__

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir() and entry.name != "__pycache__":
                    stack.append(Path(entry.path))
                elif entry.name.endswith(".py"):
                    st = entry.stat()
                    digest.update(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def key(*parts: str | bytes) -> str:
    """The key of a result computed from `parts` by this installation of Lamina."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


_ENV_CALL = re.compile(r'env\(\s*"([^"]*)"\s*\)')


def schema_key(sources: list[tuple[str, str]], *extra: str) -> str:
    """The key of a result computed from a schema's files (`(name, text)` pairs) and `extra`:
    also covers the value of every environment variable the files name in `env("...")`, since a
    generator's output or a datasource can come from one."""
    names = sorted({name for _, text in sources for name in _ENV_CALL.findall(text)})
    env = [f"{name}={os.environ.get(name, chr(0))}" for name in names]
    return key(*(part for source in sources for part in source), *env, "\0", *extra)


def get_object(kind: str, entry_key: str) -> object | None:
    """`get`, for an entry stored with `put_object`. A payload that does not unpickle (it passed
    the checksum, so only a foreign writer can cause this) is removed and ignored."""
    payload = get(kind, entry_key)
    if payload is None:
        return None
    from lamina.gc_pause import gc_paused

    try:
        with gc_paused():  # millions of long-lived objects: see lamina.gc_pause
            return pickle.loads(payload)
    except Exception:
        _remove(directory() / f"{kind}-{entry_key}")
        return None


def put_object(kind: str, entry_key: str, value: object) -> None:
    if not enabled():
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # a value that does not pickle is simply not cached
    put(kind, entry_key, payload)


def put_object_on_repeat(kind: str, entry_key: str, value: object) -> None:
    """`put_object`, from the second run that computes `value` on (`is_repeat`)."""
    if is_repeat(entry_key):
        put_object(kind, entry_key, value)


def is_repeat(entry_key: str) -> bool:
    """Whether an earlier run computed the result of `entry_key` too: the first only leaves a
    marker (kind "seen") and gets False. Pickling a large result is not free (a 10,000-model
    SqlSchema: +0.3 s CPU, and the pickler's memo holds every object), so a one-off run (CI
    on a fresh machine) pays nothing for an entry nobody will read. A second computation in
    the same process is no repeat run."""
    if not enabled():
        return False
    if entry_key in _marked_by_this_run or get("seen", entry_key) is None:
        put("seen", entry_key, b"")
        _marked_by_this_run.add(entry_key)
        return False
    return True


_marked_by_this_run: set[str] = set()


def get(kind: str, entry_key: str) -> bytes | None:
    """The payload stored for (`kind`, `entry_key`), or None (missing, damaged or cache off)."""
    if not enabled():
        return None
    path = directory() / f"{kind}-{entry_key}"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = data[_HEADER:]
    if (
        data[: len(_MAGIC)] != _MAGIC
        or int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 8], "big") != len(payload)
        or data[len(_MAGIC) + 8 : _HEADER] != hashlib.sha256(payload).digest()
    ):
        _remove(path)  # damaged: never trusted, rebuilt by the caller's put()
        return None
    return payload


def put(kind: str, entry_key: str, payload: bytes) -> None:
    if not enabled():
        return
    folder = directory()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        header = _MAGIC + len(payload).to_bytes(8, "big") + hashlib.sha256(payload).digest()
        fd, temporary = tempfile.mkstemp(prefix=f".{kind}-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header)
                fh.write(payload)
            os.replace(temporary, folder / f"{kind}-{entry_key}")
        except BaseException:
            _remove(Path(temporary))
            raise
        _prune(folder, kind)
    except OSError:
        pass  # no cache is never an error


_KEEP = 32  # entries per kind: a few branches' schemas, a bounded folder


def _prune(folder: Path, kind: str) -> None:
    """Drop the least recently written entries of `kind` beyond the newest `_KEEP`."""
    entries = [e for e in os.scandir(folder) if e.name.startswith(f"{kind}-")]
    if len(entries) <= _KEEP:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
    for entry in entries[_KEEP:]:
        _remove(Path(entry.path))


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
