"""`lamina erd` on the CRM example: each format against its reviewed expected file, the Mermaid
text parsed and rendered by Mermaid itself (in chromium), the README's diagram kept current."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.browser import browser  # noqa: F401  (the fixture)

REPO = Path(__file__).resolve().parents[2]
CRM = REPO / "examples" / "crm"
HERE = Path(__file__).parent
MODELS = ["Org", "User", "Company", "Contact", "Deal", "Lead", "Activity", "Task", "Note", "Attachment",
          "SavedView", "Notification", "Webhook"]


def erd(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lamina", "erd", *args], cwd=CRM, capture_output=True, text=True,
                          env=env)


def test_mermaid_is_the_reviewed_diagram():
    result = erd()
    assert result.returncode == 0, result.stderr
    assert result.stdout == (HERE / "crm.mmd").read_text()
    # what the reviewer checked, spelled out: keys, optional fields, cardinalities, onDelete
    assert "    String slug UK\n" in result.stdout
    assert '    String convertedContactId FK, UK "optional"\n' in result.stdout
    assert '  Org ||--o{ User : "org / users (onDelete: Cascade)"\n' in result.stdout
    assert '  Contact |o--o| Lead : "convertedContact / convertedFrom (onDelete: SetNull)"\n' in result.stdout
    assert '  Deal }o--o{ Contact : "deals / contacts"\n' in result.stdout


def test_dot_is_the_reviewed_diagram():
    result = erd("--format", "dot")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (HERE / "crm.dot").read_text()


def test_db_names_show_the_tables_and_columns():
    text = erd("--db-names").stdout
    assert "  orgs {\n" in text and "    String org_id FK\n" in text
    assert '  orgs ||--o{ users : "org / users (onDelete: Cascade)"\n' in text


def test_svg_through_graphviz(tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed (.ci/run installs it)")
    out = tmp_path / "crm.svg"
    result = erd("--format", "svg", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"Wrote the svg diagram of 13 models to {out}.\n"
    svg = out.read_text()
    expected = (HERE / "crm.svg").read_text()
    version = re.search(r"graphviz version ([\d.]+)", svg)
    if version and version.group(1) in expected.split("\n", 5)[3]:
        assert svg == expected  # the same Graphviz as when the file was reviewed: the same drawing
    root = ET.fromstring(svg)  # well-formed, and every model is drawn
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert set(MODELS) <= titles


def test_svg_without_graphviz_says_what_to_install(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))  # no `dot` on the PATH
    result = erd("--format", "svg", env=env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "needs Graphviz's `dot` program, which is not installed (apt install graphviz" in result.stderr
    assert "Traceback" not in result.stderr


def test_readme_shows_the_current_crm_diagram():
    readme = (REPO / "README.md").read_text()
    block = re.search(r"<!-- erd:crm -->\n```mermaid\n(.*?)```\n", readme, re.S)
    assert block, "README.md has no ```mermaid block after <!-- erd:crm -->"
    assert block.group(1) == erd().stdout, "regenerate it: cd examples/crm && lamina erd"


def _mermaid_js(cache: Path) -> Path:
    """Mermaid's browser bundle from the npm registry (cached between runs)."""
    js = cache / "mermaid.min.js"
    if js.is_file():
        return js
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: Mermaid cannot be fetched to parse the diagram")
    cache.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run([npm, "pack", "mermaid@11", "--silent"], cwd=cache, capture_output=True, text=True)
    if packed.returncode != 0:
        pytest.skip(f"npm could not fetch mermaid: {packed.stderr.strip()[:200]}")
    with tarfile.open(cache / packed.stdout.strip().splitlines()[-1]) as tar:
        member = tar.extractfile("package/dist/mermaid.min.js")
        assert member is not None
        js.write_bytes(member.read())
    return js


def test_mermaid_parses_and_renders_the_diagram(browser):  # noqa: F811
    js = _mermaid_js(Path(os.environ.get("LAMINA_TEST_CACHE", Path.home() / ".cache" / "lamina-tests")) / "mermaid")
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(js))
    text = erd().stdout
    svg = page.evaluate("""async (text) => {
        mermaid.initialize({ startOnLoad: false });
        await mermaid.parse(text);  // throws on a syntax error
        return (await mermaid.render("crm", text)).svg;
    }""", text)
    for model in MODELS:
        assert model in svg
    page.close()
