"""The documentation site: it builds with `mkdocs build --strict` and no warning, every shell
command on its pages runs (in the order a reader meets them, on a project in the state the page
assumes), the CI workflows' steps run, and every P-code Lamina's source can emit is documented."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
import yaml

from tests.dburls import with_database

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"

USER_MODEL = """
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
}
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "LAMINA_TEST_")) and k not in ("DATABASE_URL", "CI", "SHADOW_DATABASE_URL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def _run(cwd: Path, command: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_site_builds_strict_without_warnings(tmp_path):
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                       cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "WARNING" not in r.stdout + r.stderr, r.stdout + r.stderr
    cli = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text()
    for command in ("lamina migrate deploy", "lamina migrate check", "lamina db push", "lamina generate"):
        assert command in cli
    api_page = (tmp_path / "site" / "reference" / "api" / "index.html").read_text()
    assert "migrate_deploy" in api_page and "MigrationFailedError" in api_page


def test_every_p_code_lamina_emits_is_documented():
    emitted = set()
    for path in (REPO / "src" / "lamina").rglob("*.py"):
        emitted |= set(re.findall(r"code=\"(P\d{4})\"", path.read_text()))
    documented = set(re.findall(r"^\| (P\d{4}) \|", (DOCS / "reference" / "errors.md").read_text(), re.M))
    assert emitted and emitted <= documented, sorted(emitted - documented)


# ---------------------------------------------------------------- the pages' commands


def _blocks(page: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w+)\n(.*?)^```", (DOCS / page).read_text(), re.S | re.M)


def _replace_model(schema: Path, block: str) -> None:
    text = schema.read_text()
    for name in re.findall(r"^model (\w+) \{", block, re.M):
        text = re.sub(rf"\nmodel {name} \{{.*?\n\}}\n", "\n", text, flags=re.S)
    schema.write_text(text.rstrip("\n") + "\n\n" + block)


def _run_page(page: str, root: Path, env: dict[str, str]) -> list[str]:
    """Each bash block of `page` in order (`pip` lines, which would fetch Lamina from the package
    index, are left out: Lamina is installed from this repository); a prisma block with models
    changes the schema as the reader would; a python block headed `# tests/...` becomes that file."""
    ran = []
    for lang, body in _blocks(page):
        if lang == "prisma" and re.search(r"^model ", body, re.M):
            _replace_model(root / "prisma" / "schema.prisma", body)
        elif lang == "python" and (m := re.match(r"# (tests/\S+\.py)\n", body)):
            target = root / m.group(1)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body)
        elif lang == "bash":
            script = "\n".join(line for line in body.splitlines() if not line.startswith("pip "))
            r = _run(root, script, env)
            assert r.returncode == 0, f"{page}:\n{script}\n---\n{r.stdout}{r.stderr}"
            ran += [line for line in script.splitlines() if line.strip()]
    return ran


def _base_project(root: Path, env: dict[str, str]) -> None:
    """The state the guides start from: `lamina init`, a User model, the first migration."""
    root.mkdir(parents=True, exist_ok=True)
    r = _run(root, "lamina init", env)
    assert r.returncode == 0, r.stderr
    schema = root / "prisma" / "schema.prisma"
    schema.write_text(schema.read_text() + USER_MODEL)
    r = _run(root, "lamina format && lamina migrate dev --name init", env)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.timeout(900)
def test_getting_started_from_nothing(tmp_path):
    env = _env()
    ran = _run_page("getting-started.md", tmp_path, env)
    assert ran[:2] == ["lamina init", "lamina format"]
    assert any(d.name.endswith("_init") for d in (tmp_path / "prisma" / "migrations").iterdir())
    client = next(body for lang, body in _blocks("getting-started.md") if lang == "python")
    r = subprocess.run([sys.executable, "-c", client], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0 and "ada@example.com" in r.stdout, r.stdout + r.stderr


SETUPS = {
    # a database with tables and no history
    "guides/baselining.md": "rm -rf prisma/migrations prisma/dev.db && lamina db push",
    "guides/squashing.md": "lamina migrate dev --create-only --name second && lamina migrate dev",
    "migrating/from-alembic.md": (
        "rm -rf prisma/migrations prisma/dev.db && python -c \"import sqlite3; c = sqlite3.connect('prisma/dev.db'); "
        "c.executescript('CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY); "
        "INSERT INTO alembic_version VALUES (\\'ae1027a6acf\\'); CREATE TABLE account (id INTEGER PRIMARY KEY, "
        "email TEXT NOT NULL);')\""),
}
PAGES = ["guides/production.md", "guides/ci.md", "guides/data-migrations.md", "guides/baselining.md",
         "guides/squashing.md", "guides/multiple-schema-files.md", "guides/testing.md", "migrating/from-prisma.md",
         "migrating/from-prisma-client-py.md", "migrating/from-alembic.md"]


@pytest.mark.timeout(900)  # many CLI runs; the machine may be shared with other test runs
@pytest.mark.parametrize("page", PAGES)
def test_page_commands_run(page, tmp_path):
    env = _env()
    root = tmp_path / "project"
    _base_project(root, env)
    if page in SETUPS:
        r = _run(root, SETUPS[page], env)
        assert r.returncode == 0, r.stdout + r.stderr
    ran = _run_page(page, root, env)
    assert any("lamina" in line or "pytest" in line for line in ran), page


def test_pages_with_commands_are_all_tested():
    """A new page with a bash block must be added to PAGES (or to the pages tested elsewhere)."""
    elsewhere = {"workflow.md": "tests/workflow/test_wf_docs.py", "getting-started.md": "above",
                 "reliability.md": "bench/soak_deploy.py, run by tests/test_bench_quick.py",
                 "studio.md": "tests/studio/test_studio.py (a server: driven in a browser), tests/erd/test_erd.py",
                 "safe-schema-changes.md": "tests/workflow/test_wf_renames.py, test_wf_rollback.py, test_wf_lint.py, "
                                          "test_wf_down_views.py, test_wf_down_triggers.py, test_wf_rename_rebuild.py"}
    with_commands = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if "```bash" in p.read_text()}
    assert with_commands <= set(PAGES) | set(elsewhere), sorted(with_commands - set(PAGES) - set(elsewhere))


# ---------------------------------------------------------------- the CI workflows


def _steps_github() -> list[tuple[str, str, dict[str, str]]]:
    data = yaml.safe_load((DOCS / "ci" / "github-actions.yml").read_text())
    out = []
    for job_name, job in data["jobs"].items():
        for step in job["steps"]:
            if "run" in step:
                env = {**job.get("env", {}), **step.get("env", {})}
                out.append((job_name, step["run"], env))
    return out


def _steps_gitlab() -> list[tuple[str, str, dict[str, str]]]:
    data = yaml.safe_load((DOCS / "ci" / "gitlab-ci.yml").read_text())
    out = []
    for job_name in ("check", "deploy"):
        job = data[job_name]
        env = {**data.get("variables", {}), **job.get("variables", {})}
        for line in job.get("before_script", []) + job["script"]:
            out.append((job_name, line, env))
    return out


@pytest.mark.timeout(900)
@pytest.mark.parametrize("system", ["github", "gitlab"])
def test_ci_workflow_steps_run(system, tmp_path, postgres_server):
    """The workflow's commands on a PostgreSQL project in git, the service database and the
    production database being fresh databases on the test server; `pip install` is left out
    (Lamina comes from this repository) and `uses:` actions are GitHub's."""
    name = f"ci_{uuid.uuid4().hex[:8]}"
    service_url, production_url = with_database(postgres_server, name), with_database(postgres_server, name + "_prod")
    root = tmp_path / "project"
    root.mkdir()
    env = _env(DATABASE_URL=with_database(postgres_server, name + "_dev"))
    try:
        assert _run(root, "lamina init --datasource-provider postgresql && rm .env", env).returncode == 0
        schema = root / "prisma" / "schema.prisma"
        schema.write_text(schema.read_text() + USER_MODEL)
        r = _run(root, "lamina format && lamina migrate dev --name init", env)
        assert r.returncode == 0, r.stdout + r.stderr
        (root / "tests").mkdir()
        (root / "tests" / "test_users.py").write_text(
            "def test_users(lamina_client):\n    lamina_client.user.create(data={'email': 'a@x.io'})\n"
            "    assert lamina_client.user.count() == 1\n")
        (root / ".gitignore").write_text("lamina_client/\n__pycache__/\n")
        git = "git -c user.email=t@x.io -c user.name=t"
        assert _run(root, f"git init -q -b main && git add . && {git} commit -q -m init && "
                          f"git remote add origin . && git fetch -q origin", env).returncode == 0
        steps = _steps_github() if system == "github" else _steps_gitlab()
        ran = 0
        for job, command, step_env in steps:
            command = "\n".join(line for line in command.splitlines() if not line.strip().startswith("pip "))
            if not command.strip():
                continue
            variables = {k: str(v) for k, v in step_env.items()}
            for key, value in variables.items():  # the hosts of the CI services are this machine's server
                if "DATABASE_URL" in key:
                    variables[key] = production_url if job == "deploy" else service_url
            r = _run(root, command, {**env, **variables, "GITHUB_BASE_REF": "main",
                                     "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"})
            assert r.returncode == 0, f"{job}: {command}\n{r.stdout}{r.stderr}"
            ran += 1
        assert ran >= 4
        with psycopg.connect(production_url) as conn:
            assert conn.execute("SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL").fetchone() == (1,)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            for (db,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (name + "%",)).fetchall():
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
