"""The three hooks of .pre-commit-hooks.yaml, run by pre-commit itself (`pre-commit try-repo`,
which installs Lamina from this repository into pre-commit's own environment) on a project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from wf_helpers import REPO, make_project

USER = 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n'
INIT = ('-- CreateTable\nCREATE TABLE "User" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n'
        '    "email" TEXT NOT NULL\n);\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n')


def _git(root, *args):
    subprocess.run(["git", "-c", "user.email=t@x.io", "-c", "user.name=t", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.mark.timeout(1200)  # pre-commit installs Lamina and its dependencies into an environment of its own
def test_hooks_run_with_pre_commit(tmp_path):
    if shutil.which("pre-commit") is None and not _module("pre_commit"):
        pytest.fail("pre-commit is not installed (it is in the dev extra)")
    p = make_project(tmp_path, "sqlite", "file:./dev.db", USER)
    p.add_migration("20250101000000_init", INIT)
    assert p.run("format").code == 0
    _git(p.root, "init", "-q")
    _git(p.root, "add", ".")
    _git(p.root, "commit", "-q", "-m", "init")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    # The hooks as committed: a clone of HEAD (try-repo on the work tree would also take in whatever
    # tracked file is being edited right now, without the new files it needs).
    source = tmp_path / "lamina-src"
    subprocess.run(["git", "clone", "-q", str(REPO), str(source)], check=True, capture_output=True)

    def hooks():
        r = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(source), "--all-files"],
                           cwd=p.root, env=env, capture_output=True, text=True, timeout=900)
        return r.returncode, r.stdout + r.stderr

    code, out = hooks()
    assert code == 0, out
    for name in ("lamina format --check", "lamina validate", "lamina migrate check"):
        assert any(line.startswith(name) and line.endswith("Passed") for line in out.splitlines()), (name, out)

    # a schema change without its migration, badly formatted: two hooks fail
    p.schema.write_text(p.schema.read_text().replace("  email String @unique\n",
                                                     "  email String @unique\n  name String?\n"))
    code, out = hooks()
    assert code == 1, out
    lines = out.splitlines()
    assert any(line.startswith("lamina format --check") and line.endswith("Failed") for line in lines), out
    assert any(line.startswith("lamina validate") and line.endswith("Passed") for line in lines), out
    assert any(line.startswith("lamina migrate check") and line.endswith("Failed") for line in lines), out
    assert "[drift]" in out

    # an invalid schema: validate fails with Prisma's P1012
    p.schema.write_text(p.schema.read_text() + "model Broken {\n  id Nope @id\n}\n")
    code, out = hooks()
    assert code == 1 and "P1012" in out, out
    assert any(line.startswith("lamina validate") and line.endswith("Failed") for line in out.splitlines()), out


def _module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
