"""Mermaid `erDiagram` text: renders on GitHub, GitLab and most Markdown viewers.

Mermaid's attribute types allow letters, digits, `_`, `-`, `[]` and `()`, so a list keeps its
`[]` and an optional field says "optional" in the attribute's comment (`?` is not allowed).
Cardinality: `||` exactly one, `|o` zero or one, `o{` zero or more.
"""

from __future__ import annotations

import re

from lamina.erd import Diagram, Link

_ENDS = {  # (kind, FK side required) -> Mermaid's relationship between `one` and `many`
    ("1:n", True): "||--o{", ("1:n", False): "|o--o{",
    ("1:1", True): "||--o|", ("1:1", False): "|o--o|",
}


def _word(text: str) -> str:
    """A name or type as one Mermaid word (Unsupported("x") and odd @map names lose what Mermaid rejects)."""
    return re.sub(r"[^A-Za-z0-9_\-\[\]()]", "_", text)


def _ends(link: Link) -> str:
    return "}o--o{" if link.kind == "m:n" else _ENDS[(link.kind, link.required)]


def render(d: Diagram) -> str:
    lines = ["erDiagram"]
    for e in d.entities:
        lines.append(f"  {_word(e.name)} {{")
        for c in e.columns:
            type_word = _word(c.type + ("[]" if c.is_list else ""))
            keys = f" {', '.join(c.keys)}" if c.keys else ""
            notes = [n for n in ("optional" if c.optional else "", "view" if e.is_view and c is e.columns[0] else "") if n]
            comment = f' "{"; ".join(notes)}"' if notes else ""
            lines.append(f"    {type_word} {_word(c.name)}{keys}{comment}")
        lines.append("  }")
    for link in d.links:
        label = link.label.replace('"', "'")
        lines.append(f'  {_word(link.one)} {_ends(link)} {_word(link.many)} : "{label}"')
    return "\n".join(lines) + "\n"
