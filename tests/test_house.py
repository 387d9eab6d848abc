"""The house rules, checked: the core imports no platform, the code is ruff- and mypy-clean, and the bugs
found while tidying stay fixed."""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys

import pytest

from guidebot.bot.service import Person

from conftest import ROOT, POSTGRES_URL, slack_env, start_service, stop_service
from slack_fakes import block_action, interaction_body, signed_headers

FORM = "application/x-www-form-urlencoded"
PLATFORM_PACKAGES = ("adapters", "slack_bolt", "slack_sdk", "botbuilder", "botframework", "msrest", "aiohttp")


def imports_of(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_core_imports_no_adapter_and_no_platform_sdk():
    offenders = {path.name: sorted(n for n in imports_of(path) if n.split(".")[0] in PLATFORM_PACKAGES)
                 for path in (ROOT / "bot").glob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_module_of_the_core_names_a_platform():
    """A third channel (the workbench, a future one) must not need a change in bot/."""
    named = {path.name for path in (ROOT / "bot").glob("*.py")
             if any(word in path.read_text(encoding="utf-8").lower() for word in ("slack", "teams", "bot framework"))}
    assert named == set()


@pytest.mark.parametrize("tool, args", [("ruff", ["check", "."]), ("mypy", [])])
def test_the_code_is_clean_for_the_configured_checkers(tool, args):
    executable = shutil.which(tool, path=os.path.dirname(sys.executable)) or shutil.which(tool)
    if executable is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[test]' brings it)")
    result = subprocess.run([executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


# --- bugs found on the way ---------------------------------------------------------------------------------
async def test_the_organisations_own_contact_is_named_when_no_comms_channel_is_set(fake_slack, sqlite_url):
    """It used to say "kommunikasjonsteamet" whatever the document's `contact` said."""
    from guidebot.bot.knowledge import read_directory

    bundled = read_directory(ROOT / "knowledge")
    files = type(bundled)(guideline=bundled.guideline.replace(
        "contact: kommunikasjonsteamet", "contact: Servicetorget (tlf 12 34 56 78)", 1),
        glossary=bundled.glossary, checklist=bundled.checklist)
    assert "Servicetorget" in files.guideline
    service = await start_service(slack_env(fake_slack), settings_yaml="organisation: Testkommune\n",
                                  db_url=sqlite_url, knowledge=files)
    try:
        reply = await service.bot.ask(Person("slack", "UEMPLOYEE"), "hvordan bytter jeg passord?")
        form = interaction_body(block_action("ask_comms", reply.answer_id))
        await service.post("/slack/events", form, signed_headers(form, content_type=FORM))
        [told] = await fake_slack.wait_for("chat.postEphemeral")
        assert "Kontakt Servicetorget (tlf 12 34 56 78) direkte" in told.args["text"]
    finally:
        await stop_service(service)


def test_teams_configured_but_its_sdk_missing_stops_start_up_with_a_reason(tmp_path):
    """It used to switch Teams off silently, leaving /api/messages answering 401 to every real message."""
    fake = tmp_path / "nosdk" / "botbuilder"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('botbuilder is broken here')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUIDEBOT_", "SLACK_", "Microsoft"))}
    env.update({"MicrosoftAppId": "11111111-2222-3333-4444-555555555555", "MicrosoftAppPassword": "x",
                "PYTHONPATH": f"{tmp_path / 'nosdk'}{os.pathsep}{ROOT}", "PORT": "39917"})
    result = subprocess.run([sys.executable, "-m", "guidebot.adapters", "serve"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    said = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Teams is configured" in said and "botbuilder is broken here" in said


async def test_each_postgresql_scenario_has_a_database_of_its_own(db_url):
    """It used to drop the tables of the one shared `test` database, so two runs at once collided."""
    if db_url.startswith("sqlite"):
        pytest.skip("only the PostgreSQL variant shares a server")
    shared = POSTGRES_URL.rsplit("/", 1)[1]
    own = db_url.rsplit("/", 1)[1]
    assert own != shared and own.startswith("guidebot_test_")
    from guidebot.bot.store import Store

    store = Store(db_url)
    await store.start()
    try:
        assert json.loads(json.dumps(await store.list_versions())) == []
    finally:
        await store.close()
