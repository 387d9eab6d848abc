"""The container files are real: the image's own entry command, user and health check, run outside Docker
(this machine has the docker client but no daemon or registry) from the installed wheel, against the local
PostgreSQL: a signed Slack request and a local-mode Teams activity are answered, and state survives a restart."""
from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
import yaml

from conftest import POSTGRES_URL, ROOT, _admin
from slack_fakes import BOT_TOKEN, SIGNING_SECRET, dm_event, event_body, signed_headers
from teams_fakes import activity


def dockerfile() -> dict[str, object]:
    """USER, CMD, HEALTHCHECK's CMD and ENV, as Docker reads them (exec form only, which the file uses)."""
    found: dict[str, object] = {"ENV": {}}
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        instruction, _, rest = line.strip().partition(" ")
        if instruction == "USER":
            found["USER"] = rest.strip()
        elif instruction == "CMD":
            found["CMD"] = json.loads(rest)
        elif instruction == "HEALTHCHECK":
            found["HEALTHCHECK"] = json.loads(rest[rest.index("CMD") + 3:])
        elif instruction == "ENV":
            found["ENV"].update(dict(pair.split("=", 1) for pair in shlex.split(rest)))  # type: ignore[union-attr]
    return found


def test_the_dockerfile_runs_as_a_user_with_a_health_check_and_compose_has_postgres():
    image = dockerfile()
    assert image["USER"] not in ("root", "0") and image["CMD"] == ["guidebot", "serve"] and image["HEALTHCHECK"]
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert compose["services"]["guidebot"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert compose["services"]["guidebot"]["environment"]["DATABASE_URL"].startswith("postgresql://")
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        checked = subprocess.run(["docker", "compose", "config", "-q"], cwd=ROOT, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def postgres_db():
    name = f"guidebot_test_{uuid.uuid4().hex[:12]}"
    try:
        await asyncio.wait_for(_admin(POSTGRES_URL, f'CREATE DATABASE "{name}"'), timeout=10)
    except Exception as exc:
        pytest.skip(f"no PostgreSQL reachable ({type(exc).__name__}); set GUIDEBOT_TEST_DATABASE_URL")
    yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    await _admin(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> str:
    """The wheel as `pip install .` in the image makes it: no checkout beside it."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(folder)], check=True,
                   capture_output=True)
    target = folder / "site"
    wheel = next(folder.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    os.chmod(folder, 0o755)
    for path in folder.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return str(target)


def _as_image_user(image: dict[str, object]) -> list[str]:
    user = str(image["USER"])
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    return []


def _start(image: dict[str, object], site: str, env: dict[str, str], cwd: str) -> subprocess.Popen:
    command = list(image["CMD"])  # type: ignore[call-overload]
    command[0] = str(ROOT / ".venv" / "bin" / command[0]) if (ROOT / ".venv" / "bin" / command[0]).exists() else command[0]
    entry = [sys.executable, "-c", "import sys; from guidebot.adapters.cli import main; sys.exit(main(sys.argv[1:]))",
             *command[1:]]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "GUIDEBOT_", "DATABASE_URL"))}
    full = {**clean, **image["ENV"], **env, "PYTHONPATH": site, "HOME": "/nonexistent"}  # type: ignore[dict-item]
    return subprocess.Popen([*_as_image_user(image), *entry], env=full, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _healthy(image: dict[str, object], env: dict[str, str], site: str) -> bool:
    probe = list(image["HEALTHCHECK"])  # type: ignore[call-overload]
    probe[0] = sys.executable if probe[0] == "python" else probe[0]
    result = subprocess.run([*_as_image_user(image), *probe], env={**os.environ, **env, "PYTHONPATH": site},
                            capture_output=True, timeout=10)
    return result.returncode == 0


def _post(url: str, body: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


async def test_the_images_command_answers_slack_and_teams_and_keeps_state_across_a_restart(
        postgres_db, installed, fake_slack, fake_connector, tmp_path):
    image = dockerfile()
    port = _free_port()
    env = {"PORT": str(port), "DATABASE_URL": postgres_db, "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake_slack.url + "/api/", "GUIDEBOT_TEAMS_LOCAL": "1",
           "WEB_CONCURRENCY": "1", "GUIDEBOT_SEMANTIC": "off", "HOST": "127.0.0.1"}
    os.chmod(tmp_path, 0o777)
    for round_ in range(2):
        process = _start(image, installed, env, str(tmp_path))
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not _healthy(image, {"PORT": str(port)}, installed):
                assert process.poll() is None, process.communicate()[0]
                await asyncio.sleep(0.3)
            assert _healthy(image, {"PORT": str(port)}, installed), "the image's health check passes"
            body = event_body(dm_event("kan jeg legge ut bilde av barn?"), f"EvImage{round_}")
            assert await asyncio.to_thread(_post, f"http://127.0.0.1:{port}/slack/events", body, signed_headers(body)) == 200
            posts = await fake_slack.wait_for("chat.postMessage", count=round_ + 1)
            assert "skriftlig tillatelse fra foreldre" in json.dumps(posts[-1].args["blocks"], ensure_ascii=False)
            teams = json.dumps(activity(fake_connector.url, text="kan jeg legge ut bilde av barn?"))
            status = await asyncio.to_thread(_post, f"http://127.0.0.1:{port}/api/messages", teams,
                                             {"Content-Type": "application/json"})
            assert status in (200, 201)
            await fake_connector.wait_for(round_ + 1)
            metrics = await asyncio.to_thread(
                lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode())
            assert f'guidebot_answers_total{{outcome="answer"}} {2 * (round_ + 1)}' in metrics, "kept across the restart"
        finally:
            process.terminate()
            output = process.communicate(timeout=30)[0]
        records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        assert records and not any("Traceback" in line for line in output.splitlines() if not line.startswith("{"))
        assert BOT_TOKEN not in output and SIGNING_SECRET not in output
