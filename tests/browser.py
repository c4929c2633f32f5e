"""A headless browser for tests: Debian's chromium driven by Playwright for Python (no browser
download). Skips outside CI when either is missing; fails in CI (`.ci/run` installs chromium)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import unavailable

CHROMIUM = next((p for p in (os.environ.get("LAMINA_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p), None)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    if CHROMIUM is None:
        unavailable("no chromium executable (apt-get install chromium; or set LAMINA_CHROMIUM)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()
