"""The comms team's path from a terminal: validate, diff, publish, history, rollback, export, report."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import sqlalchemy as sa

from conftest import ROOT, slack_env, start_service, stop_service
from slack_fakes import block_action, dm_event, interaction_body
from conftest import ADMIN
from test_guideline_updates import NEW, OLD, revised
from test_slack import send_event, send_form
from test_slack_new_channel import filled, submit


def guidebot(*args: str, cwd, db: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUIDEBOT_", "SLACK_", "Microsoft"))}
    env["DATABASE_URL"] = db
    return subprocess.run([sys.executable, "-m", "guidebot.adapters", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def write(directory, files) -> None:
    directory.mkdir()
    (directory / "guideline.yaml").write_text(files.guideline, encoding="utf-8")
    (directory / "glossary.yaml").write_text(files.glossary, encoding="utf-8")
    (directory / "checklist.yaml").write_text(files.checklist, encoding="utf-8")


def test_validate_diff_publish_history_rollback_export(tmp_path):
    db = f"sqlite:///{tmp_path / 'guidebot.db'}"
    write(tmp_path / "k2", revised())
    assert guidebot("knowledge", "validate", "k2", cwd=tmp_path, db=db).stdout.startswith("ok:")
    diff = guidebot("knowledge", "diff", "k2", cwd=tmp_path, db=db).stdout
    assert "1.0 → 1.1" in diff and "~ changed [bilder-barn]" in diff and NEW in diff

    published = guidebot("knowledge", "publish", "k2", "--note", "Begge foreldre", cwd=tmp_path, db=db)
    assert published.returncode == 0 and "published version 1.1 as #2" in published.stdout
    assert NEW in guidebot("ask", "kan jeg legge ut bilde av barn?", cwd=tmp_path, db=db).stdout

    history = guidebot("knowledge", "history", cwd=tmp_path, db=db).stdout.splitlines()
    assert history[0].startswith("▶ #2") and "Begge foreldre" in history[0] and "#1" in history[1]

    assert guidebot("knowledge", "rollback", "1.0", cwd=tmp_path, db=db).returncode == 0
    assert OLD in guidebot("ask", "kan jeg legge ut bilde av barn?", cwd=tmp_path, db=db).stdout

    exported = guidebot("knowledge", "export", "-o", "out", cwd=tmp_path, db=db)
    assert exported.returncode == 0
    exported = (tmp_path / "out" / "guideline.yaml").read_text(encoding="utf-8")
    assert exported == (ROOT / "knowledge" / "guideline.yaml").read_text(encoding="utf-8")


def test_a_broken_file_is_reported_with_file_and_line_and_nothing_is_published(tmp_path):
    db = f"sqlite:///{tmp_path / 'guidebot.db'}"
    files = revised()
    write(tmp_path / "k2", type(files)(files.guideline.replace("  - id: bilder-barn", "  - id: [bilder-barn"),
                                       files.glossary, files.checklist))
    result = guidebot("knowledge", "publish", "k2", "--note", "x", cwd=tmp_path, db=db)
    assert result.returncode == 1 and "guideline.yaml, line" in result.stderr and "Traceback" not in result.stderr
    assert "#2" not in guidebot("knowledge", "history", cwd=tmp_path, db=db).stdout


def test_a_file_saved_as_ansi_by_an_editor_is_refused_with_its_line_and_nothing_is_published(tmp_path):
    """Notepad's "ANSI" (Windows-1252) instead of UTF-8: the first line with æ, ø or å is named, no traceback."""
    db = f"sqlite:///{tmp_path / 'guidebot.db'}"
    write(tmp_path / "k2", revised())
    guideline = tmp_path / "k2" / "guideline.yaml"
    text = guideline.read_text(encoding="utf-8")
    guideline.write_bytes(text.encode("cp1252", errors="replace"))
    first = next(n for n, line in enumerate(text.splitlines(), 1) if any(ord(c) > 127 for c in line))
    for command in (("knowledge", "validate", "k2"), ("knowledge", "publish", "k2", "--note", "x")):
        result = guidebot(*command, cwd=tmp_path, db=db)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"guideline.yaml, line {first}: is not saved as UTF-8" in result.stderr
    assert "#2" not in guidebot("knowledge", "history", cwd=tmp_path, db=db).stdout


async def test_publish_with_url_goes_through_the_running_service(fake_slack, sqlite_url, tmp_path):
    service = await start_service({**slack_env(fake_slack), "GUIDEBOT_ADMIN_TOKEN": ADMIN}, db_url=sqlite_url)
    try:
        write(tmp_path / "k2", revised())
        args = ("knowledge", "publish", "k2", "--note", "via the API", "--url", service.url, "--token", ADMIN)
        result = await asyncio.to_thread(guidebot, *args, cwd=tmp_path, db="sqlite:///unused.db")
        assert result.returncode == 0, result.stderr
        assert '"version": "1.1"' in result.stdout
        assert service.bot.guideline.document.version == "1.1"
        wrong = await asyncio.to_thread(guidebot, *args[:-1], "wrong-token-wrong-token", cwd=tmp_path, db="sqlite:///unused.db")
        assert wrong.returncode == 1 and "403" in wrong.stderr
        exported = await asyncio.to_thread(guidebot, "knowledge", "export", "-o", "out", "--url", service.url, "--token",
                                           ADMIN, cwd=tmp_path, db="sqlite:///unused.db")
        assert exported.returncode == 0, exported.stderr
        assert (tmp_path / "out" / "guideline.yaml").read_text(encoding="utf-8") == revised().guideline
    finally:
        await stop_service(service)


async def test_report_lists_unanswered_questions_feedback_and_open_requests_and_forgets_old_texts(fake_slack, sqlite_url,
                                                                                                     tmp_path):
    service = await start_service(slack_env(fake_slack), db_url=sqlite_url)
    try:
        for n, question in enumerate(["What's for lunch today?", "what's for lunch today?", "hvor er kantina",
                                      "kan jeg legge ut bilde av barn?"]):
            await send_event(service, dm_event(question, ts=f"1700000001.00{n}"), f"EvRep{n}")
        posts = await fake_slack.wait_for("chat.postMessage", count=4)
        answer_id = next(e["value"] for p in posts if "foreldre" in str(p.args["blocks"])
                         for b in p.args["blocks"] if b["type"] == "actions" for e in b["elements"])
        await send_form(service, interaction_body(block_action("feedback_down", answer_id)))
        await fake_slack.wait_for("chat.postEphemeral")
        await submit(service, filled())
        from guidebot.bot.schema import answers

        async with service.bot.store._begin() as conn:  # an answer from long ago, beyond the retention period
            await conn.execute(sa.update(answers).where(answers.c.question == "hvor er kantina")
                               .values(created_at=time.time() - 100 * 86400))
    finally:
        await stop_service(service)
    report = guidebot("report", cwd=tmp_path, db=sqlite_url).stdout
    assert "   2  what's for lunch today?" in report
    assert "kantina" not in report and "(1 older deleted now)" in report
    assert "0 / 1    bilder-barn" in report
    assert "NK-0001" in report and "Lørenskog bibliotek" in report
