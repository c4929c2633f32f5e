"""`lamina studio` driven in a real headless browser (Debian's chromium through Playwright): the
CRM example, seeded, on SQLite and PostgreSQL. Screenshots of the pages go to
test-artifacts/studio/ (not committed)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.browser import browser  # noqa: F401  (the fixture)

REPO = Path(__file__).resolve().parents[2]
CRM = REPO / "examples" / "crm"
ARTIFACTS = REPO / "test-artifacts" / "studio"
PENDING = "20991231000000_add_deal_note_index"


def _lamina(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "lamina", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(params=["sqlite", "postgresql"])
def crm(request, tmp_path):
    """The CRM example with its migrations applied, the client generated, the demo data seeded, a
    table the schema does not know that refers to the deals (ON DELETE RESTRICT), and one
    migration not applied yet."""
    provider = request.param
    project = tmp_path / "crm"
    shutil.copytree(CRM, project, ignore=shutil.ignore_patterns("dev.db*", "crm_client", "__pycache__"))
    env = dict(os.environ)
    if provider == "sqlite":
        url = "file:./dev.db"
        env["DATABASE_URL"] = url
        _lamina("migrate", "deploy", cwd=project, env=env)
    else:
        url = request.getfixturevalue("postgres_url")
        env["DATABASE_URL"] = url
        schema = project / "prisma" / "schema.prisma"
        schema.write_text(schema.read_text().replace('provider = "sqlite"', 'provider = "postgresql"'))
        shutil.rmtree(project / "prisma" / "migrations")
        _lamina("migrate", "dev", "--name", "init", cwd=project, env=env)
    _lamina("generate", cwd=project, env=env)
    _lamina("db", "seed", cwd=project, env=env)
    deal_ref = ('CREATE TABLE "deal_locks" ("deal_id" TEXT NOT NULL REFERENCES "deals"("id") ON DELETE RESTRICT);\n'
                'INSERT INTO "deal_locks" SELECT "id" FROM "deals" WHERE "title" = \'Umbrella pilot\';\n')
    (project / "lock.sql").write_text(deal_ref)
    _lamina("db", "execute", "--file", "lock.sql", cwd=project, env=env)
    pending = project / "prisma" / "migrations" / PENDING
    pending.mkdir()
    (pending / "migration.sql").write_text('CREATE INDEX "deals_title_idx" ON "deals"("title");\n')
    return provider, project, env


@contextlib.contextmanager
def _running(project: Path, env: dict[str, str], *options: str):
    """`lamina studio` on a free port; yields (the printed link, the server's base URL)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "lamina", "studio", "--browser", "none", "--port", str(port), *options],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        link = None
        for line in proc.stdout:  # type: ignore[union-attr]
            m = re.search(r"(http://\S+\?token=\S+)", line)
            if m:
                link = m.group(1)
                break
        assert link, "lamina studio did not print its URL"
        base = link.split("/?")[0]
        for _ in range(100):  # until the server accepts connections
            try:
                urllib.request.urlopen(base + "/", timeout=1)
            except urllib.error.HTTPError:
                break  # it answers (403 without the token)
            except OSError:
                time.sleep(0.1)
        yield link, base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def studio(crm):
    provider, project, env = crm
    with _running(project, env) as (link, base):
        yield provider, link, base


def test_read_only_offers_no_writes_and_refuses_them(crm, browser):
    provider, project, env = crm
    with _running(project, env, "--read-only") as (link, base):
        page = browser.new_page()
        page.goto(link)
        assert page.locator(".badge").inner_text() == "read-only"
        page.goto(base + "/model/Deal")
        assert page.locator("#new-row").count() == 0
        page.click("a.row-link")
        assert page.locator("#save").count() == 0 and page.locator("#delete").count() == 0
        key = page.locator("input[name=__key]").first.input_value()
        cookie = {c["name"]: c["value"] for c in page.context.cookies()}["lamina_studio_token"]
        page.close()
        request = urllib.request.Request(base + "/model/Deal/delete", data=urllib.parse.urlencode({"__key": key}).encode(),
                                         headers={"Cookie": f"lamina_studio_token={cookie}"}, method="POST")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=10)
        assert info.value.code == 403 and b"read-only" in info.value.read()


def _shot(page, provider: str, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{provider}-{name}.png"), full_page=True)


def test_requests_without_the_token_are_refused(studio):
    _, link, base = studio
    for url, headers in ((base + "/", {}), (base + "/model/Org", {}),
                         (base + "/model/Org", {"Cookie": "lamina_studio_token=guess"})):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5)
        assert info.value.code == 403
        assert b"open the studio with the URL" in info.value.read()
    # another host name pointing at this address (DNS rebinding) is refused even with the token
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(urllib.request.Request(link, headers={"Host": "evil.example:80"}), timeout=5)
    assert info.value.code == 403


def test_browse_filter_sort_create_edit_delete_and_history(studio, browser):
    provider, link, _ = studio
    page = browser.new_page()
    page.goto(link)
    assert "token=" not in page.url  # traded for a cookie at once
    assert page.locator('td[data-model="Org"]').inner_text() == "1"
    assert page.locator('td[data-model="Deal"]').inner_text() == "3"
    _shot(page, provider, "models")

    # Org -> its users -> one user's deals
    page.click("text=Org")
    page.click("a.row-link")
    page.click('a[data-relation="users"]')
    assert page.locator("#total").inner_text() == "3 rows"
    _shot(page, provider, "users-of-org")
    page.click('tr:has-text("ada@demo.test") a.row-link')
    page.click('a[data-relation="ownedDeals"]')
    assert page.locator("#total").inner_text() == "3 rows"

    # filter and sort the deals
    page.goto(page.url.split("/model/")[0] + "/model/Deal")
    page.select_option('select[data-field="stage"]', "equals")
    page.fill('input[data-field="stage"]', "WON")
    page.click("#apply-filters")
    assert page.locator("#total").inner_text() == "1 row"
    assert "Umbrella pilot" in page.locator("#rows").inner_text()
    page.click("text=Clear")
    page.click('th a.sort:has-text("amount")')  # ascending
    page.click('th a.sort:has-text("amount")')  # descending
    first = page.locator("#rows tbody tr").first.inner_text()
    assert "Globex renewal" in first  # 48000.00, the largest
    _shot(page, provider, "deals-sorted")

    # a new deal without its required title: the client's error beside the form, values kept
    org_id = page.locator("#rows tbody tr").first.locator("a.fk").first.inner_text()
    page.click("#new-row")
    page.fill("#in-orgId", org_id)
    page.fill("#in-amount", "1234.5")
    page.click("#save")
    error = page.locator("#form-error").inner_text()
    assert "title" in error
    assert page.input_value("#in-amount") == "1234.5"
    _shot(page, provider, "create-error")
    page.fill("#in-title", "Studio deal")
    page.click("#save")
    assert "Saved." in page.content()
    assert page.input_value("#in-title") == "Studio deal" and page.input_value("#in-stage") == "PROSPECTING"

    # edit an enum
    page.select_option("#in-stage", "NEGOTIATION")
    page.click("#save")
    assert page.input_value("#in-stage") == "NEGOTIATION"

    # delete a deal another table still refers to: the foreign key, in words
    page.goto(page.url.split("/model/")[0] + "/model/Deal?" + "where=" + json.dumps({"title": "Umbrella pilot"}))
    page.click("a.row-link")
    page.on("dialog", lambda d: d.accept())
    page.click("#delete")
    assert "cannot be deleted or changed: other rows still refer to it" in page.locator("#form-error").inner_text()
    _shot(page, provider, "delete-fk-error")

    # the migration history: applied, and the one pending
    page.click("text=Migrations")
    assert page.locator(f'tr:has-text("{PENDING}") td.state').inner_text() == "pending"
    assert "1 pending, 0 failed" in page.locator("#summary").inner_text()
    _shot(page, provider, "migrations")

    # the schema's diagram: models link to their data
    page.click("text=Schema")
    assert page.locator("#diagram svg").count() == 1
    page.locator('#diagram a[href="/model/Deal"]').first.click()
    assert page.url.endswith("/model/Deal")
    page.close()
