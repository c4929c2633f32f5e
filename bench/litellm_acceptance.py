"""End-to-end acceptance: LiteLLM's proxy (PyPI `litellm[proxy]`, a prisma-client-py user) running
unchanged on Lamina's generated client (issue 19). Never part of the test suite: it installs
packages from PyPI into a throwaway virtual environment and takes minutes.

    python bench/litellm_acceptance.py --install            # make the venv, then run
    python bench/litellm_acceptance.py                      # reuse the venv of a previous --install

Steps (each printed as ok/FAIL with what was seen; the exit code is the number of failures):
 1. venv with `litellm[proxy]` and Lamina (from this checkout); prisma-client-py is uninstalled
 2. `lamina generate` on LiteLLM's own schema.prisma (unchanged generator block: the client is
    installed as the package `prisma` in the venv, where prisma-client-py put itself)
 3. LiteLLM's migrations (shipped in litellm-proxy-extras) deployed with `python -m prisma migrate deploy`
 4. the proxy started on loopback with a fake model (`mock_response`) and default settings
    (it runs `python -m prisma migrate deploy` itself at start-up)
 5. admin API: /user/new, /team/new, /key/generate with a budget, /key/info, /user/info, /team/info
 6. /chat/completions through the generated key, then the spend rows in the database
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MASTER_KEY = "sk-lamina-acceptance-master"
MODEL = "fake-gpt"
FAILURES: list[str] = []
STEPS: list[tuple[str, bool, str]] = []


def step(name: str, ok: bool, detail: str = "") -> bool:
    print(f"[{'ok' if ok else 'FAIL'}] {name}" + (f": {detail}" if detail else ""), flush=True)
    STEPS.append((name, ok, detail))
    if not ok:
        FAILURES.append(name)
    return ok


def record(version: str) -> None:
    """Append this run's steps to bench/results.md (as every bench script does)."""
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [f"\n## litellm_acceptance.py, {when}: litellm {version}, {len(STEPS) - len(FAILURES)}/{len(STEPS)} steps ok\n",
             "| step | result |", "|---|---|"]
    for name, ok, detail in STEPS:
        cell = "ok" if ok else "FAIL " + detail.replace("|", "/")[:160]
        lines.append(f"| {name.replace('|', '/')} | {cell} |")
    with (REPO / "bench" / "results.md").open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def site_packages(python: Path) -> Path:
    out = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    return Path(out.stdout.strip())


def install(venv: Path) -> None:
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    # litellm 1.107.0 was a compromised release (pulled from PyPI): never that one
    subprocess.run([*pip, "litellm[proxy]!=1.107.0"], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "uninstall", "-y", "-q", "prisma"], check=False)
    subprocess.run([*pip, "-e", str(REPO)], check=True)


def make_database(server: str) -> str:
    import psycopg

    name = f"lamina_litellm_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(port: int, method: str, path: str, body: dict | None = None, key: str = MASTER_KEY) -> tuple[int, object]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        text = exc.read().decode(errors="replace")
        try:
            return exc.code, json.loads(text)
        except ValueError:
            return exc.code, text


def short(value: object, n: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= n else text[:n] + "..."


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--install", action="store_true", help="(re)create the venv and install litellm[proxy] from PyPI")
    ap.add_argument("--workdir", default="/tmp/lamina-litellm-acceptance")
    ap.add_argument("--server", default=os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"),
                    help="PostgreSQL server URL; a fresh database is made on it")
    ap.add_argument("--chats", type=int, default=20, help="chat completions to send through the generated key")
    args = ap.parse_args()
    try:
        return _run(args)
    finally:
        if STEPS:
            record(VERSION[0] if VERSION else "?")


VERSION: list[str] = []


def _run(args: argparse.Namespace) -> int:

    work = Path(args.workdir)
    venv = work / "venv"
    python = venv / "bin" / "python"
    if args.install:
        work.mkdir(parents=True, exist_ok=True)
        install(venv)
    if not python.exists():
        print(f"No venv at {venv}: run with --install first.", file=sys.stderr)
        return 1
    site = site_packages(python)
    version = run([str(python), "-c", "import importlib.metadata as m; print(m.version('litellm'))"]).stdout.strip()
    VERSION.append(version)
    print(f"litellm {version} in {venv}", flush=True)

    # 2. generate Lamina's client from LiteLLM's schema, unchanged
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "prisma").mkdir(parents=True)
    shutil.copy(site / "litellm" / "proxy" / "schema.prisma", project / "prisma" / "schema.prisma")
    shutil.copytree(site / "litellm_proxy_extras" / "migrations", project / "prisma" / "migrations")
    migrations = len([p for p in (project / "prisma" / "migrations").iterdir() if p.is_dir()])
    t0 = time.perf_counter()
    gen = run([str(python), "-m", "lamina", "generate"], cwd=project)
    ok = step("lamina generate on litellm/proxy/schema.prisma", gen.returncode == 0,
              f"{(time.perf_counter() - t0):.1f}s; " + short(gen.stdout.strip() or gen.stderr.strip()))
    if not ok:
        return len(FAILURES)
    imp = run([str(python), "-c", "import prisma, prisma.errors, prisma.engine.errors; print(prisma.__file__)"])
    step("`import prisma` is Lamina's client", imp.returncode == 0 and str(site) in imp.stdout, short(imp.stdout + imp.stderr))

    # 3. deploy LiteLLM's migrations with Lamina
    url = make_database(args.server)
    env = {**os.environ, "DATABASE_URL": url}
    t0 = time.perf_counter()
    dep = run([str(python), "-m", "prisma", "migrate", "deploy"], cwd=project, env=env)
    step(f"python -m prisma migrate deploy ({migrations} migrations)", dep.returncode == 0,
         f"{(time.perf_counter() - t0):.1f}s; " + short((dep.stdout + dep.stderr).strip().splitlines()[-1:] or ""))

    # 4. start the proxy with a fake model and its default settings
    port = free_port()
    config = work / "config.yaml"
    config.write_text(
        "model_list:\n"
        f"  - model_name: {MODEL}\n"
        "    litellm_params:\n"
        "      model: openai/fake\n"
        "      api_key: fake-key\n"
        "      mock_response: Hello from a fake model\n"
        "      input_cost_per_token: 0.0001\n"
        "      output_cost_per_token: 0.0002\n"
        "general_settings:\n"
        f"  master_key: {MASTER_KEY}\n"
    )
    log = (work / "proxy.log").open("w")
    proxy = subprocess.Popen([str(venv / "bin" / "litellm"), "--config", str(config), "--host", "127.0.0.1",
                              "--port", str(port)], cwd=work, env={**env, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"},
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        ready = False
        deadline = time.time() + 240
        while time.time() < deadline and proxy.poll() is None:
            try:
                status, body = http(port, "GET", "/health/readiness")
                if status == 200 and isinstance(body, dict) and body.get("db") == "connected":
                    ready = True
                    break
            except OSError:
                pass
            time.sleep(2)
        step("proxy start-up (db connected)", ready,
             "see " + str(work / "proxy.log") if not ready else f"port {port}")
        if not ready:
            return len(FAILURES)
        exercise(port, url, args.chats)
    finally:
        os.killpg(proxy.pid, signal.SIGTERM)
        try:
            proxy.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proxy.pid, signal.SIGKILL)
        log.close()
    print(f"\n{len(FAILURES)} failed step(s): {FAILURES}" if FAILURES else "\nall steps passed", flush=True)
    print(f"database kept for inspection: {url}\nproxy log: {work / 'proxy.log'}")
    return len(FAILURES)


def exercise(port: int, url: str, chats: int) -> None:
    status, user = http(port, "POST", "/user/new", {"user_email": "ada@example.com", "user_role": "internal_user",
                                                     "max_budget": 10.0, "metadata": {"team": "research"}})
    step("/user/new", status == 200, short(user) if status != 200 else str(user.get("user_id")))
    user_id = user.get("user_id") if isinstance(user, dict) else None

    status, team = http(port, "POST", "/team/new", {"team_alias": "research", "max_budget": 50.0,
                                                     "members_with_roles": [{"role": "admin", "user_id": user_id}]})
    step("/team/new", status == 200, short(team) if status != 200 else str(team.get("team_id")))
    team_id = team.get("team_id") if isinstance(team, dict) else None

    status, budget = http(port, "POST", "/budget/new", {"budget_id": "small", "max_budget": 5.0, "rpm_limit": 100})
    step("/budget/new", status == 200, short(budget) if status != 200 else "")

    status, key = http(port, "POST", "/key/generate", {"user_id": user_id, "team_id": team_id, "max_budget": 100.0,
                                                        "models": [MODEL], "metadata": {"purpose": "acceptance"}})
    step("/key/generate", status == 200 and isinstance(key, dict) and str(key.get("key", "")).startswith("sk-"),
         short(key) if status != 200 else "")
    token = key.get("key") if isinstance(key, dict) else None

    for path in (f"/key/info?key={token}", f"/user/info?user_id={user_id}", f"/team/info?team_id={team_id}",
                 "/model/info", "/user/list", "/team/list", "/key/list"):
        status, body = http(port, "GET", path)
        step(f"GET {path.split('?')[0]}", status == 200, short(body) if status != 200 else "")

    ok = 0
    first_error = ""
    for i in range(chats):
        status, body = http(port, "POST", "/chat/completions",
                            {"model": MODEL, "messages": [{"role": "user", "content": f"hello {i}"}]}, key=token or "")
        if status == 200:
            ok += 1
        elif not first_error:
            first_error = short(body)
    step(f"/chat/completions with the generated key ({ok}/{chats} ok)", ok == chats, first_error)

    # a key whose budget one request exceeds (each costs ~0.0025 at the fake model's prices) is refused
    status, small = http(port, "POST", "/key/generate", {"user_id": user_id, "max_budget": 0.001, "models": [MODEL]})
    codes = []
    for i in range(5):
        code, body = http(port, "POST", "/chat/completions",
                          {"model": MODEL, "messages": [{"role": "user", "content": f"over {i}"}]},
                          key=small.get("key", "") if isinstance(small, dict) else "")
        codes.append(code)
        if code != 200:
            break
    step("a key over its max_budget is refused (budget_exceeded)", codes[0] == 200 and codes[-1] != 200
         and "udget" in short(body), f"status codes {codes}: {short(body, 160)}")

    status, upd = http(port, "POST", "/key/update", {"key": token, "max_budget": 2.0, "metadata": {"purpose": "updated"}})
    step("/key/update", status == 200, short(upd) if status != 200 else "")

    # spend rows: LiteLLM writes them in a background batch every few seconds
    import psycopg

    deadline = time.time() + 90
    logs = spend = 0
    while time.time() < deadline:
        with psycopg.connect(url) as conn:
            logs = conn.execute('SELECT count(*) FROM "LiteLLM_SpendLogs"').fetchone()[0]
            row = conn.execute('SELECT spend, metadata, jsonb_typeof(metadata) FROM "LiteLLM_VerificationToken" '
                               "WHERE user_id = %s", (user_id,)).fetchone()
        spend = row[0] if row else 0
        if logs >= chats and spend:
            break
        time.sleep(3)
    step(f"LiteLLM_SpendLogs rows ({logs} for {chats} requests)", logs >= chats)
    step("the key's metadata is stored as a JSON object", bool(row) and row[2] == "object", short(row[1] if row else None))
    with psycopg.connect(url) as conn:
        kinds = conn.execute('SELECT jsonb_typeof(metadata), count(*) FROM "LiteLLM_SpendLogs" GROUP BY 1').fetchall()
    step("spend log metadata stored as JSON objects (as prisma-client-py writes them)",
         bool(kinds) and all(k == "object" for k, _ in kinds), str(kinds))
    step("the key's spend is written to LiteLLM_VerificationToken", bool(spend), f"spend {spend}")

    status, body = http(port, "POST", "/key/delete", {"keys": [token]})
    step("/key/delete", status == 200, short(body) if status != 200 else "")


if __name__ == "__main__":
    sys.exit(main())
