"""The `lamina` command line: thin wrappers that parse flags, call one function, print.

Sub-commands are imported lazily (see `LazyGroup`) so that `lamina --version` and
`lamina migrate status` do not pay for the parser, the differ or the client generator.
Command modules live beside this file, one per area:

    cli/schema_cmds.py   init, validate, format
    cli/migrate_cmds.py  migrate dev|deploy|status|reset|resolve|diff
    cli/db_cmds.py       db push|pull|execute|seed
    cli/generate_cmd.py  generate
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from lamina import __version__


class LazyGroup(click.Group):
    """A click group whose commands are `module:attribute` strings, imported on first use."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._lazy = dict(lazy or {})

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self._lazy))

    def get_command(self, ctx, name):
        if name in self._lazy:
            module_name, attr = self._lazy[name].split(":")
            return getattr(importlib.import_module(module_name), attr)
        return super().get_command(ctx, name)


@click.group(
    cls=LazyGroup,
    lazy={
        "init": "lamina.cli.schema_cmds:init",
        "validate": "lamina.cli.schema_cmds:validate",
        "format": "lamina.cli.schema_cmds:format_",
        "generate": "lamina.cli.generate_cmd:generate",
        "migrate": "lamina.cli.migrate_cmds:migrate",
        "db": "lamina.cli.db_cmds:db",
        "erd": "lamina.cli.erd_cmd:erd",
        "studio": "lamina.cli.studio_cmd:studio",
    },
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "-v", "--version", prog_name="lamina", message="%(prog)s %(version)s")
@click.option(
    "--schema",
    "schema",
    type=click.Path(),
    default=None,
    help="Path to schema.prisma, or to a folder of .prisma files.",
)
@click.pass_context
def cli(ctx: click.Context, schema: str | None) -> None:
    """Lamina: Prisma's schema-first migration workflow, in pure Python.

    \b
    Schema:    init, validate, format, generate
    Migrate:   migrate dev | deploy | status | reset | resolve | diff
    Database:  db push | pull | execute | seed
    Look:      erd, studio
    """
    ctx.ensure_object(dict)
    ctx.obj["schema"] = schema


class _TolerantStream:
    """stdout/stderr for the CLI: a character the console cannot encode prints as `?`, and a
    stream that can no longer be written (a closed pipe, `| head`) is dropped silently. The
    work a command did (a deploy's applied migrations) decides its exit code, never its output."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._broken = False
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass

    def write(self, text: str) -> int:
        if not self._broken:
            try:
                return self._stream.write(text)
            except OSError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self._broken:
            try:
                self._stream.flush()
            except OSError:
                self._drop()

    def _drop(self) -> None:
        # Point the file descriptor at /dev/null too: the interpreter flushes the real stream
        # at exit, and a failure there would print a warning and exit with 120.
        self._broken = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _tolerant_output() -> None:
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, _TolerantStream):
            setattr(sys, name, _TolerantStream(stream))


# Commands that keep the cyclic collector: a server that runs for hours, and the ones that run
# user code (Python migrations, seed scripts) or long loops, which may make cyclic garbage.
_KEEP_COLLECTOR = {"studio", "deploy", "execute", "seed"}


def _collector_for(args: list[str]):
    """A schema command is a short process that builds the pipeline's objects and exits: the
    cyclic collector only slows it down (see lamina.gc_pause)."""
    import contextlib

    if _KEEP_COLLECTOR.intersection(args):
        return contextlib.nullcontext()
    from lamina.gc_pause import gc_paused

    return gc_paused()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every user-caused error into a message and an exit code."""
    from lamina.errors import LaminaError

    _tolerant_output()
    try:
        # Without standalone mode click returns the code of `ctx.exit(code)` instead of exiting.
        with _collector_for(sys.argv[1:] if argv is None else argv):
            code = cli.main(args=argv, prog_name="lamina", standalone_mode=False)
    except LaminaError as exc:
        from lamina.migrate.output import color_enabled

        # click strips colour off a terminal; FORCE_COLOR keeps it (the decision is color_enabled's)
        click.echo(exc.render(), err=True, color=color_enabled(sys.stderr))
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if os.environ.get("LAMINA_DEBUG"):
            raise
        click.echo(
            f"Error: internal error in Lamina: {type(exc).__name__}: {exc}\n"
            "This is a bug. Run again with LAMINA_DEBUG=1 for the traceback and report it.",
            err=True,
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
