"""`python -m prisma <command>` for a client generated as the package `prisma`.

prisma-client-py's package forwarded its command line to Prisma's CLI (`python -m prisma migrate
deploy`, run at start-up by many applications and Dockerfiles) and added `prisma py ...` commands
of its own. The generated package's `__main__.py` calls `main`, which runs Lamina's CLI for the
commands Lamina has and says clearly which it does not.
"""

from __future__ import annotations

import sys

# Prisma CLI commands that Lamina does not have, with what to do instead.
_UNSUPPORTED = {
    "studio": "Prisma Studio is not part of Lamina; run the real Prisma CLI (`npx prisma studio`).",
    "debug": "use `lamina --version` and `lamina validate` to check the set-up.",
    "mcp": "Prisma's MCP server is not part of Lamina.",
    "platform": "Prisma's platform commands are not part of Lamina.",
}


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")


def main(argv: list[str] | None = None, package: str = "prisma") -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    from lamina.cli import main as lamina_main

    if args[:1] == ["py"]:
        sub = args[1] if len(args) > 1 else ""
        if sub == "generate":
            return lamina_main(["generate", *args[2:]])
        if sub == "fetch":
            _say(f"`{package} py fetch`: nothing to fetch; Lamina's client runs no Prisma engine binaries.")
            return None
        if sub == "version":
            return lamina_main(["--version"])
        _say(f"`{package} py {sub}` is a prisma-client-py command that Lamina does not support; "
             f"Lamina's commands: `{package} --help`.")
        sys.exit(1)
    if args[:1] == ["version"]:
        return lamina_main(["--version"])
    if args[:1] and args[0] in _UNSUPPORTED:
        _say(f"`{package} {args[0]}` is not supported by Lamina: {_UNSUPPORTED[args[0]]}")
        sys.exit(1)
    return lamina_main(args)
