"""The schema page's diagram: Graphviz's layout when `dot` is installed, else a plain grid of
the models (each a link to its data) with straight lines for the relations."""

from __future__ import annotations

import math
import re
import shutil
from html import escape

from lamina.datamodel import Datamodel
from lamina.erd import Diagram, diagram
from lamina.erd.dot import render, to_svg

BOX_W, LINE_H, GAP = 220, 16, 60


def schema_svg(dm: Datamodel) -> str:
    d = diagram(dm)
    links = {e.name: f"/model/{e.name}" for e in d.entities}
    if shutil.which("dot"):
        svg = to_svg(render(d, links))
        # inline: without the XML declaration and DOCTYPE; SVG 2's plain `href` on the links
        return svg[svg.index("<svg"):].replace("xlink:href=", "href=")
    return grid_svg(d, links)


def grid_svg(d: Diagram, links: dict[str, str]) -> str:
    cols = max(1, math.ceil(math.sqrt(len(d.entities))))
    heights = [LINE_H * (len(e.columns) + 1) + 8 for e in d.entities]
    row_h = [max(heights[i:i + cols] or [0]) for i in range(0, len(d.entities), cols)]
    boxes: dict[str, tuple[float, float, float]] = {}  # name -> x, y, height
    parts = []
    for i, e in enumerate(d.entities):
        x = GAP / 2 + (i % cols) * (BOX_W + GAP)
        y = GAP / 2 + sum(row_h[: i // cols]) + (i // cols) * GAP
        boxes[e.name] = (x, y, heights[i])
    for link in d.links:  # under the boxes
        (x1, y1, h1), (x2, y2, h2) = boxes[link.many], boxes[link.one]
        parts.append(f'<line x1="{x1 + BOX_W / 2}" y1="{y1 + h1 / 2}" x2="{x2 + BOX_W / 2}" y2="{y2 + h2 / 2}" '
                     f'stroke="#8899aa" stroke-width="1"><title>{escape(link.label)} ({link.kind})</title></line>')
    for e in d.entities:
        x, y, h = boxes[e.name]
        rows = "".join(f'<text x="{x + 6}" y="{y + LINE_H * (j + 2)}" font-size="11">{escape(c.name)}: '
                       f'{escape(c.type_text)}{" " + escape(" ".join(c.keys)) if c.keys else ""}</text>'
                       for j, c in enumerate(e.columns))
        anchor = escape(re.sub(r"\W", "_", e.name))
        parts.append(f'<a href="{escape(links[e.name])}"><g class="entity" id="entity-{anchor}">'
                     f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{h}" fill="#fff" stroke="#334"/>'
                     f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{LINE_H + 4}" fill="#d9e3f0" stroke="#334"/>'
                     f'<text x="{x + 6}" y="{y + LINE_H}" font-weight="bold" font-size="12">{escape(e.name)}</text>'
                     f'{rows}</g></a>')
    width = cols * (BOX_W + GAP)
    height = sum(row_h) + len(row_h) * GAP
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="Helvetica, Arial, sans-serif">' + "".join(parts) + "</svg>")
