"""Starting the service as an IT team would: what is missing is named, the manifest matches the app."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import yaml

from conftest import ROOT


def serve(env: dict[str, str], cwd=ROOT) -> subprocess.Popen:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "GUIDEBOT_", "DATABASE_URL"))}
    return subprocess.Popen([sys.executable, "-m", "guidebot.adapters", "serve"], env={**clean, **env}, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_serve_without_tokens_says_what_is_missing_and_ask_still_works():
    process = serve({})
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "SLACK_BOT_TOKEN" in output and "MicrosoftAppId" in output and "guidebot ask" in output
    assert "Traceback" not in output


def test_serve_with_half_a_slack_configuration_names_the_missing_secret():
    process = serve({"SLACK_BOT_TOKEN": "xoxb-1"})
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2 and "SLACK_SIGNING_SECRET" in output


def test_serve_with_a_user_token_instead_of_a_bot_token_is_refused():
    process = serve({"SLACK_BOT_TOKEN": "xoxp-1", "SLACK_SIGNING_SECRET": "s"})
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2 and "xoxb-" in output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_with_only_the_slack_secrets_and_reports_health(tmp_path):
    port = _free_port()
    process = serve({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret", "PORT": str(port),
                     "SLACK_API_URL": "http://127.0.0.1:9/api/"}, cwd=tmp_path)
    try:
        deadline, health = time.monotonic() + 30, None
        while time.monotonic() < deadline and health is None:
            try:
                health = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read().decode()
            except OSError:
                time.sleep(0.2)
        assert health and '"version": "1.0"' in health and "comms_chief" in health
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert "organisation setting not set: comms_chief" in output
    assert "xoxb-1" not in output and "secret" not in output.replace("SLACK_SIGNING_SECRET", "")


def test_serve_in_local_mode_says_where_it_listens_and_binds_only_loopback(tmp_path):
    port = _free_port()
    process = serve({"GUIDEBOT_TEAMS_LOCAL": "1", "PORT": str(port)}, cwd=tmp_path)
    try:
        lines = [process.stdout.readline() for _ in range(3)]  # type: ignore[union-attr]
        assert any(line.startswith(f"guidebot listening on http://127.0.0.1:{port}") for line in lines), lines
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_the_slack_manifest_points_at_the_service_and_lists_every_command():
    manifest = yaml.safe_load((ROOT / "adapters/slack/manifest.yaml").read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert {"/guideline", "/new-channel"} <= commands
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert {"app_mention", "message.im"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"chat:write", "commands", "im:history", "im:write", "app_mentions:read"} <= set(
        manifest["oauth_config"]["scopes"]["bot"])
    socket_mode = yaml.safe_load((ROOT / "adapters/slack/manifest-socket-mode.yaml").read_text())
    assert socket_mode["settings"]["socket_mode_enabled"] is True


def test_teams_package_has_the_manifest_with_the_bot_id_and_both_icons(tmp_path):
    import json
    import struct
    import zipfile

    out = tmp_path / "teams.zip"
    result = subprocess.run([sys.executable, "-m", "guidebot.adapters", "teams-package", "--app-id",
                             "11111111-2222-3333-4444-555555555555", "-o", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        assert set(archive.namelist()) == {"manifest.json", "color.png", "outline.png"}
        manifest = json.loads(archive.read("manifest.json"))
        sizes = {name: struct.unpack(">II", archive.read(name)[16:24]) for name in ("color.png", "outline.png")}
    assert manifest["bots"][0]["botId"] == "11111111-2222-3333-4444-555555555555"
    assert {c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]} >= {"help", "new-channel"}
    assert sizes == {"color.png": (192, 192), "outline.png": (32, 32)}


def test_teams_package_without_an_app_id_says_what_to_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MicrosoftAppId"}
    result = subprocess.run([sys.executable, "-m", "guidebot.adapters", "teams-package", "-o", str(tmp_path / "x.zip")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2 and "MicrosoftAppId" in result.stderr


def test_teams_package_refuses_an_organisation_name_teams_would_refuse(tmp_path):
    long_name = "Kommunikasjonsavdelingen i Fjellvik kommune"  # 43 characters: Teams allows 32
    result = subprocess.run([sys.executable, "-m", "guidebot.adapters", "teams-package", "--app-id",
                             "11111111-2222-3333-4444-555555555555", "--organisation", long_name,
                             "-o", str(tmp_path / "t.zip")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "32" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "t.zip").exists()


def test_teams_package_checks_every_field_it_writes_against_the_declared_manifest_schema():
    """What Teams would refuse on upload is refused here, naming the field."""
    import copy
    import json

    import pytest

    from guidebot.adapters.teams.package import MANIFEST, PackageError, validate

    text = MANIFEST.read_text(encoding="utf-8")
    for key, value in (("MicrosoftAppId", "11111111-2222-3333-4444-555555555555"), ("organisation", "Fjellvik"),
                       ("websiteUrl", "https://fjellvik.kommune.no")):
        text = text.replace("{{" + key + "}}", value)
    good = json.loads(text)
    validate(good)  # the package as shipped
    assert json.loads(MANIFEST.read_text(encoding="utf-8"))["$schema"].endswith("/v1.16/MicrosoftTeams.schema.json")
    wrong = {"name.short": "guidebot for Fjellvik kommunes ansatte",  # 38: the schema allows 30
             "description.short": "x" * 81, "accentColor": "navy", "version": "1.0",
             "developer.privacyUrl": "http://fjellvik.kommune.no"}
    for path, value in wrong.items():
        manifest = copy.deepcopy(good)
        head, _, last = path.rpartition(".")
        (manifest[head] if head else manifest)[last] = value
        with pytest.raises(PackageError, match=f"'{path}'"):
            validate(manifest)
    manifest = copy.deepcopy(good)
    manifest["bots"][0]["commandLists"][0]["commands"][0]["description"] = "x" * 129
    with pytest.raises(PackageError, match=r"commands\[0\]\.description' has 129 characters"):
        validate(manifest)


def test_serve_logs_one_json_object_a_line_when_asked_and_never_a_secret(tmp_path):
    import json

    port = _free_port()
    process = serve({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret", "PORT": str(port),
                     "SLACK_API_URL": "http://127.0.0.1:9/api/", "GUIDEBOT_LOG_FORMAT": "json"}, cwd=tmp_path)
    try:
        deadline, health = time.monotonic() + 30, None
        while time.monotonic() < deadline and health is None:
            try:
                health = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            except OSError:
                time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any("comms_chief" in r["message"] for r in records)
    other = [line for line in output.splitlines() if line.strip() and not line.startswith("{")]
    assert all(line.startswith("guidebot listening on") for line in other), other
    assert "xoxb-1" not in output
