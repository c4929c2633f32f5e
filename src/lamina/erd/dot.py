"""Graphviz DOT, and SVG through Graphviz's `dot` program when it is installed.

Each entity is an HTML-like table (name, then one row per column: name, type, keys); each
relation an edge from the foreign-key side to the referenced entity, labelled with its fields,
cardinality and `onDelete`, with crow's-foot arrows (`crow` many, `tee` one, `odot` optional).
"""

from __future__ import annotations

import shutil
import subprocess
from html import escape

from lamina.erd import Diagram, Link
from lamina.errors import LaminaError

_HEADER = "#d9e3f0"
_VIEW_HEADER = "#e3f0d9"


def _id(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _arrows(link: Link) -> str:
    if link.kind == "m:n":
        return "arrowhead=crow, arrowtail=crow"
    one = "tee" if link.required else "teeodot"
    many = "crow" if link.kind == "1:n" else "teeodot"
    return f"arrowhead={one}, arrowtail={many}"


def render(d: Diagram, links: dict[str, str] | None = None) -> str:
    """DOT text; `links`: entity name -> URL, making each entity a link in the SVG (the studio's)."""
    out = [
        "digraph ERD {",
        '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.4, ranksep=1.0];',
        '  node [shape=plaintext, fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, dir=both, color="#55667788"];',
    ]
    for e in d.entities:
        head = _VIEW_HEADER if e.is_view else _HEADER
        title = escape(e.name) + (" (view)" if e.is_view else "")
        rows = [f'<tr><td colspan="3" bgcolor="{head}"><b>{title}</b></td></tr>']
        for c in e.columns:
            rows.append(f'<tr><td port="{escape(c.name)}" align="left">{escape(c.name)}</td>'
                        f'<td align="left">{escape(c.type_text)}</td><td>{" ".join(c.keys)}</td></tr>')
        table = '<table border="0" cellborder="1" cellspacing="0" cellpadding="3">' + "".join(rows) + "</table>"
        href = f', URL="{links[e.name]}", target="_top"' if links and e.name in links else ""
        out.append(f"  {_id(e.name)} [label=<{table}>{href}];")
    for link in d.links:
        label = f"{link.label}\\n{link.kind}".replace('"', '\\"')
        out.append(f'  {_id(link.many)} -> {_id(link.one)} [label="{label}", {_arrows(link)}];')
    out.append("}")
    return "\n".join(out) + "\n"


def to_svg(dot_text: str) -> str:
    """SVG from Graphviz's `dot` (a clear error when Graphviz is not installed)."""
    exe = shutil.which("dot")
    if exe is None:
        raise LaminaError(
            "`--format svg` needs Graphviz's `dot` program, which is not installed (apt install graphviz, "
            "brew install graphviz, choco install graphviz). `--format mermaid` and `--format dot` need nothing.")
    result = subprocess.run([exe, "-Tsvg"], input=dot_text, capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        raise LaminaError(f"Graphviz's dot failed: {result.stderr.strip()}")
    return result.stdout
