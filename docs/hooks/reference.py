"""mkdocs hook: the CLI and Python API references are generated, never written twice.

`<!-- lamina:cli -->` becomes every command of the click tree (usage, help text, options), and
`<!-- lamina:api -->` every public function of `lamina.api` (signature and docstring)."""

from __future__ import annotations

import inspect

CLI_MARKER = "<!-- lamina:cli -->"
API_MARKER = "<!-- lamina:api -->"


def on_page_markdown(markdown: str, page, config, files) -> str:
    if CLI_MARKER in markdown:
        markdown = markdown.replace(CLI_MARKER, cli_reference())
    if API_MARKER in markdown:
        markdown = markdown.replace(API_MARKER, api_reference())
    return markdown


def cli_reference() -> str:
    import click

    from lamina.cli import cli

    out: list[str] = []

    def walk(command: click.Command, path: list[str], parent: click.Context | None) -> None:
        ctx = click.Context(command, info_name=path[-1], parent=parent)
        if path[1:]:
            out.append(f"{'#' * min(len(path), 4)} `{' '.join(path)}`\n")
            out.append("```text\n" + command.get_help(ctx).replace("Usage: lamina ", "Usage: lamina ", 1) + "\n```\n")
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, [*path, name], ctx)

    walk(cli, ["lamina"], None)
    return "\n".join(out)


def api_reference() -> str:
    from lamina import api

    out: list[str] = []
    functions = [n for n in api.__all__ if inspect.isfunction(getattr(api, n))]
    for name in functions:
        fn = getattr(api, name)
        signature = str(inspect.signature(fn)).replace("'", "")
        out.append(f"### `{name}`\n\n```python\n{name}{signature}\n```\n\n{inspect.getdoc(fn) or ''}\n")
    out.append("## Results\n")
    for name in [n for n in api.__all__ if inspect.isclass(getattr(api, n)) and n.endswith(("Result", "Status", "Problem"))]:
        cls = getattr(api, name)
        fields = getattr(cls, "__dataclass_fields__", {})
        rows = "\n".join(f"| `{f}` | `{_type(v.type)}` |" for f, v in fields.items())
        out.append(f"### `{name}`\n\n| field | type |\n| --- | --- |\n{rows}\n")
    out.append("## Errors\n\nEach is a `lamina.errors.LaminaError` with `.code` (Prisma's P-code) and `.exit_code`.\n")
    out.append("| exception | when |\n| --- | --- |")
    for name in [n for n in api.__all__ if n.endswith("Error") and n != "LaminaError"]:
        doc = (inspect.getdoc(getattr(api, name)) or "").replace("|", "\\|").replace("\n", " ")
        out.append(f"| `{name}` | {doc} |")
    return "\n".join(out) + "\n"


def _type(t) -> str:
    return str(t).replace("|", "\\|")
