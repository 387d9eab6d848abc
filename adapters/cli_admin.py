"""`guidebot knowledge publish|history|rollback|export|diff` and `guidebot report`: on the local database,
or with `--url` through a running service's admin API."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from ..bot.checklist import request_label
from ..bot.knowledge import Guideline, KnowledgeFiles, read_directory
from ..bot.publishing import PublishError, diff, document_view, format_history, read_candidate
from ..bot.service import GuideBot
from ..bot.settings import load_settings
from ..bot.store import Store


async def local_bot() -> GuideBot:
    """The bot on the local store (DATABASE_URL, else ./guidebot.db): its publisher, its outbox for notices."""
    bundled = read_directory()
    bot = GuideBot.create(Store(), load_settings(), bundled.build("knowledge"))
    await bot.open(bundled, background=False)
    return bot


def prepare_semantic(guideline: Guideline) -> None:
    """Embeds the passages for the semantic signal now (cached by their checksum), so the first question
    after an import or a publish is answered in a fraction of a second instead of waiting for the model."""
    from ..bot.semantic import FileCache, SemanticIndex, load_embedder

    embedder = load_embedder()
    if embedder is not None:
        print("preparing the semantic index …", file=sys.stderr)
        SemanticIndex.build(guideline, embedder, FileCache())


def remote(args: argparse.Namespace, method: str, path: str, body: dict | None = None) -> int:
    """The same actions against a running service's admin API."""
    status, data = call(args, method, path, body)
    if status >= 300:
        print(f"guidebot: {status}: {data}", file=sys.stderr)
        return 1
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def call(args: argparse.Namespace, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
    import urllib.error
    import urllib.request  # noqa: I001

    token = args.token or os.environ.get("GUIDEBOT_ADMIN_TOKEN", "")
    request = urllib.request.Request(args.url.rstrip("/") + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                              "X-Guidebot-Author": os.environ.get("USER", "cli")})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def versions_command(args: argparse.Namespace) -> int:
    if getattr(args, "url", None) and args.action == "export":
        status, data = call(args, "GET", "/admin/knowledge")
        if status >= 300 or not isinstance(data, dict):
            print(f"guidebot: {status}: {data}", file=sys.stderr)
            return 1
        _write_export(KnowledgeFiles(data["guideline"], data["glossary"], data["checklist"],
                                     tuple(sorted((data.get("documents") or {}).items()))), args.output)
        return 0
    if getattr(args, "url", None) and args.action in ("publish", "history", "rollback"):
        if args.action == "publish":
            files = read_candidate(Path(args.path))
            files.build(args.path)  # validate locally first: file, line and field in the terminal
            return remote(args, "POST", "/admin/knowledge", {"guideline": files.guideline, "glossary": files.glossary,
                                                              "checklist": files.checklist, "note": args.note or "",
                                                              "documents": dict(files.documents)})
        if args.action == "history":
            return remote(args, "GET", "/admin/knowledge/versions")
        return remote(args, "POST", "/admin/knowledge/rollback", {"version": args.version, "document": args.document})

    async def run() -> int:
        bot = await local_bot()
        publisher = bot.publisher
        try:
            author = os.environ.get("USER", "cli")
            if args.action == "diff":
                candidate = read_candidate(Path(args.path)).build(args.path)
                live = publisher.live
                if getattr(args, "document", None):
                    candidate = document_view(candidate, args.document)
                    live = document_view(live, args.document) if live and live.document_by_id(args.document) else None
                print(diff(live, candidate).text())
            elif args.action == "publish":
                record, change = await publisher.publish(read_candidate(Path(args.path)), author, args.note or "", args.path)
                print(change.text())
                print(f"published version {record.version} as #{record.id}")
                if publisher.live is not None:
                    await asyncio.to_thread(prepare_semantic, publisher.live)
            elif args.action == "history":
                print(format_history(await publisher.history(document=getattr(args, "document", None)), publisher.live_id))
            elif args.action == "rollback":
                record, change = await publisher.rollback(args.version, author, document=args.document)
                print(change.text())
                print(f"rolled back: version {record.version} is live as #{record.id}")
            elif args.action == "export":
                _write_export(await publisher.export(), args.output)
            return 0
        except PublishError as error:
            print(f"guidebot: {error}", file=sys.stderr)
            return 1
        finally:
            await bot.close()

    return asyncio.run(run())


def _write_export(files: KnowledgeFiles, output: str | None) -> None:
    if not output:
        sys.stdout.write(files.guideline)
        return
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in (("guideline.yaml", files.guideline), ("glossary.yaml", files.glossary),
                       ("checklist.yaml", files.checklist), *files.documents):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    print(f"live version written to {out}/")


def cmd_report(args: argparse.Namespace) -> int:
    async def run() -> int:
        bot = await local_bot()
        try:
            report = await bot.report()
        finally:
            await bot.close()
        print(f"guidebot report · guideline version {report['version']} · question texts kept "
              f"{report['retention_days']} days ({report['forgotten']} older deleted now)\n")
        print("Most frequent unanswered questions")
        for question, count in report["unanswered"] or [("(none)", 0)]:
            print(f"  {count:>4}  {question}")
        print("\nFeedback per passage (👍 / 👎)")
        for passage, up, down in report["feedback"] or [("(none)", 0, 0)]:
            print(f"  {up:>4} / {down:<4} {passage}")
        print("\nOpen new-channel requests")
        for request in report["open_requests"]:
            when = datetime.fromtimestamp(request["created_at"], UTC).strftime("%Y-%m-%d")
            answers = request["answers"]
            print(f"  {request_label(request['id'])}  {when}  {request['status']:<15} {request['platform']:<6} "
                  f"{answers.get('platform', '')}: {answers.get('name', '')} ({answers.get('unit', '')})")
        if not report["open_requests"]:
            print("  (none)")
        return 0

    return asyncio.run(run())
