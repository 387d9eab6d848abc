"""`guidebot` on the command line: ask, chat, eval, knowledge tools and the service.

Heavy imports (aiohttp, Slack, Teams, the database) happen inside the commands that need them, so
`guidebot ask` answers in well under a second from a cold start.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from collections.abc import Sequence

from ..bot.answers import Answer, AnswerEngine
from ..bot.knowledge import Guideline, KnowledgeError, load_directory, read_directory
from ..bot.semantic import FileCache
from ..bot.knowledge import KnowledgeFiles
from ..bot.messages import decline_message, say
from datetime import UTC


def render_text(answer: Answer) -> str:
    """A readable terminal rendering: the quote, where it is from, the translation for English askers."""
    if answer.outcome == "clarify":
        options = [f"  {n}. {p.title} ({p.section})" for n, p in enumerate(answer.options, start=1)]
        return "\n".join([say("clarify", answer.lang), *options, say("clarify_none", answer.lang)])
    if not answer.answered:
        return decline_message(answer.reason, answer.lang, answer.contact)
    lines: list[str] = []
    for index, passage in enumerate(answer.passages):
        if index == 1:
            lines.append(f"\n{say('related', answer.lang)}:")
        indent = "" if index == 0 else "  "
        lines.append(f"{indent}«{passage.text.replace('**', '')}»")
        lines.append(indent + "— " + say("source", answer.lang, section=passage.section,
                                         title=answer.document_title, version=answer.version))
        if answer.lang == "en" and passage.translation:
            lines.append(f"{indent}[{say('translation_label', 'en')}] {passage.translation.replace('**', '')}")
    return "\n".join(lines)


def answer_json(answer: Answer) -> dict:
    """The JSON contract of `guidebot ask --json`: candidates are present even when declined."""
    return {"question": answer.question, "lang": answer.lang, "outcome": answer.outcome, "answered": answer.answered,
            "confidence": answer.confidence,
            "passages": [{"id": p.id, "section": p.section, "title": p.title, "text": p.text,
                          "translation": p.translation, "score": p.score} for p in answer.candidates[:5]]}


def _engine(args: argparse.Namespace) -> AnswerEngine:
    """--knowledge DIR if given; else the live version of the local store if there is one; else the bundled files."""
    from ..bot.settings import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        raise SystemExit(f"guidebot: {error}") from None
    return AnswerEngine.build(_guideline(args), policy=settings.policy(), cache=FileCache())


def _guideline(args: argparse.Namespace) -> Guideline:
    if args.knowledge:
        return load_directory(Path(args.knowledge))
    if os.environ.get("DATABASE_URL") or Path("guidebot.db").exists():
        import asyncio

        async def live():
            store, publisher = await _publisher()
            await store.close()
            return publisher.live

        return asyncio.run(live())
    return load_directory()


def cmd_ask(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if args.question:
        answer = engine.answer(" ".join(args.question))
        print(json.dumps(answer_json(answer), ensure_ascii=False) if args.json else render_text(answer))
        return 0
    if not args.json:
        print("guidebot ask: give a question, or use --json to read questions from standard input", file=sys.stderr)
        return 2
    for line in sys.stdin:
        question = line.rstrip("\n")
        if question.strip():
            print(json.dumps(answer_json(engine.answer(question)), ensure_ascii=False), flush=True)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    engine = _engine(args)
    print(f"guidebot · {engine.guideline.document.title}, versjon {engine.version}. Ctrl-D to quit.")
    while True:
        try:
            question = input("\n? ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if question.strip().lower() in ("help", "hjelp", "?"):
            print(say("help", "nb", title=engine.guideline.document.title, new_channel="/new-channel"))
            continue
        print(render_text(engine.answer(question)))


def cmd_eval(args: argparse.Namespace) -> int:
    from ..bot.evaluation import evaluate, format_report, load_cases

    scores, misses = evaluate(_engine(args), load_cases(Path(args.file)))
    if args.verbose:
        for case, answer in misses:
            got = [c.id for c in answer.candidates[:3]]
            print(f"MISS [{case.lang}] {case.question!r} outcome={answer.outcome} "
                  f"conf={answer.confidence} got={got} expect={list(case.expect)[:1]}")
    print(format_report(scores))
    return 0


async def _publisher():
    """The local store (DATABASE_URL, else ./guidebot.db) and its publisher; notices go to its outbox."""
    from ..bot.outbox import Outbox
    from ..bot.publishing import Publisher
    from ..bot.settings import load_settings
    from ..bot.store import Store

    store = Store()
    await store.start()
    publisher = Publisher(store, load_settings(), Outbox(store))
    await publisher.start(read_directory())
    return store, publisher


def _remote(args: argparse.Namespace, method: str, path: str, body: dict | None = None) -> int:
    """The same actions against a running service's admin API."""
    status, data = _call(args, method, path, body)
    if status >= 300:
        print(f"guidebot: {status}: {data}", file=sys.stderr)
        return 1
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def _call(args: argparse.Namespace, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
    import urllib.error
    import urllib.request

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


def _versions_command(args: argparse.Namespace) -> int:
    import asyncio

    from ..bot.publishing import PublishError, diff, format_history, read_candidate

    if getattr(args, "url", None) and args.action == "export":
        status, data = _call(args, "GET", "/admin/knowledge")
        if status >= 300 or not isinstance(data, dict):
            print(f"guidebot: {status}: {data}", file=sys.stderr)
            return 1
        _write_export(KnowledgeFiles(data["guideline"], data["glossary"], data["checklist"]), args.output)
        return 0
    if getattr(args, "url", None) and args.action in ("publish", "history", "rollback"):
        if args.action == "publish":
            files = read_candidate(Path(args.path))
            files.build(args.path)  # validate locally first: file, line and field in the terminal
            return _remote(args, "POST", "/admin/knowledge", {"guideline": files.guideline, "glossary": files.glossary,
                                                              "checklist": files.checklist, "note": args.note or ""})
        if args.action == "history":
            return _remote(args, "GET", "/admin/knowledge/versions")
        return _remote(args, "POST", "/admin/knowledge/rollback", {"version": args.version})

    async def run() -> int:
        store, publisher = await _publisher()
        try:
            author = os.environ.get("USER", "cli")
            if args.action == "diff":
                files = read_candidate(Path(args.path))
                print(diff(publisher.live, files.build(args.path)).text())
            elif args.action == "publish":
                record, change = await publisher.publish(read_candidate(Path(args.path)), author, args.note or "", args.path)
                print(change.text())
                print(f"published version {record.version} as #{record.id}")
            elif args.action == "history":
                print(format_history(await publisher.history(), publisher.live_id))
            elif args.action == "rollback":
                record, change = await publisher.rollback(args.version, author)
                print(change.text())
                print(f"rolled back: version {record.version} is live as #{record.id}")
            elif args.action == "export":
                _write_export(await publisher.export(), args.output)
            return 0
        except PublishError as error:
            print(f"guidebot: {error}", file=sys.stderr)
            return 1
        finally:
            await store.close()

    return asyncio.run(run())


def _write_export(files: KnowledgeFiles, output: str | None) -> None:
    if not output:
        sys.stdout.write(files.guideline)
        return
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in (("guideline.yaml", files.guideline), ("glossary.yaml", files.glossary),
                       ("checklist.yaml", files.checklist)):
        (out / name).write_text(text, encoding="utf-8")
    print(f"live version written to {out}/")


def cmd_report(args: argparse.Namespace) -> int:
    import asyncio
    from datetime import datetime

    from ..bot.checklist import OPEN_STATES, request_label

    async def run() -> int:
        store, publisher = await _publisher()
        try:
            from ..bot.settings import load_settings
            from ..bot.store import now

            days = load_settings().retention_days
            forgotten = await store.forget_questions_before(now() - days * 86400)
            print(f"guidebot report · guideline version {publisher.live.document.version if publisher.live else '?'}"
                  f" · question texts kept {days} days ({forgotten} older deleted now)\n")
            print("Most frequent unanswered questions")
            for question, count in await store.unanswered() or [("(none)", 0)]:
                print(f"  {count:>4}  {question}")
            print("\nFeedback per passage (👍 / 👎)")
            for passage, up, down in await store.feedback_per_passage() or [("(none)", 0, 0)]:
                print(f"  {up:>4} / {down:<4} {passage}")
            print("\nOpen new-channel requests")
            open_requests = await store.list_requests(statuses=OPEN_STATES)
            for request in open_requests:
                when = datetime.fromtimestamp(request["created_at"], UTC).strftime("%Y-%m-%d")
                answers = request["answers"]
                print(f"  {request_label(request['id'])}  {when}  {request['status']:<15} {request['platform']:<6} "
                      f"{answers.get('platform', '')}: {answers.get('name', '')} ({answers.get('unit', '')})")
            if not open_requests:
                print("  (none)")
            return 0
        finally:
            await store.close()

    return asyncio.run(run())


def cmd_knowledge(args: argparse.Namespace) -> int:
    if args.action in ("diff", "publish", "history", "rollback", "export"):
        return _versions_command(args)
    if args.action == "import":
        from ..bot.importer import draft_yaml

        source = Path(args.path)
        text = draft_yaml(source.read_text(encoding="utf-8"), source.name)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"draft written to {args.output}: check it, then fill in translations", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    if args.action == "validate":
        from ..bot.publishing import read_candidate

        guideline = read_candidate(Path(args.path)).build(args.path)
        print(f"ok: {guideline.document.title}, version {guideline.document.version}, "
              f"{len(guideline.passages)} passages")
        return 0
    raise AssertionError(args.action)


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import serve

    return serve()


def cmd_teams_package(args: argparse.Namespace) -> int:
    import os

    from .teams.package import PackageError, build

    try:
        app_id = args.app_id or os.environ.get("MicrosoftAppId", "")  # noqa: SIM112 (the Bot Framework's name)
        out = build(app_id, Path(args.output), organisation=args.organisation, website=args.website)
    except PackageError as exc:
        print(f"guidebot teams-package: {exc}", file=sys.stderr)
        return 2
    print(f"{out}: upload it in Teams (Apps → Manage your apps → Upload an app)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guidebot", description="Answers questions about the guideline.")
    parser.add_argument("--knowledge", help="knowledge directory (default: the bundled one)")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question (or, with --json and none, one per stdin line)")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=cmd_ask)
    sub.add_parser("chat", help="interactive prompt").set_defaults(func=cmd_chat)
    ev = sub.add_parser("eval", help="score an evaluation set")
    ev.add_argument("file")
    ev.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    ev.set_defaults(func=cmd_eval)
    kn = sub.add_parser("knowledge", help="import and validate guideline files")
    kn_sub = kn.add_subparsers(dest="action", required=True)
    imp = kn_sub.add_parser("import", help="plain-text guideline → draft YAML")
    imp.add_argument("path")
    imp.add_argument("-o", "--output")
    kn_sub.add_parser("validate", help="check a knowledge directory or guideline.yaml").add_argument("path")
    kn_sub.add_parser("diff", help="passages added, removed, changed against the live version").add_argument("path")
    pub = kn_sub.add_parser("publish", help="publish a knowledge directory or guideline.yaml")
    pub.add_argument("path")
    pub.add_argument("--note", required=True, help="what changed and why (shown in the history and announcement)")
    for sub_parser in (pub, kn_sub.add_parser("history", help="every published version")):
        sub_parser.add_argument("--url", help="a running service (its admin API) instead of the local store")
        sub_parser.add_argument("--token", help="the service's GUIDEBOT_ADMIN_TOKEN (default: that variable)")
    rb = kn_sub.add_parser("rollback", help="make an earlier version live again")
    rb.add_argument("version", help="its number (#3) or version label (1.0)")
    rb.add_argument("--url")
    rb.add_argument("--token")
    ex = kn_sub.add_parser("export", help="the live version as YAML, for committing to git")
    ex.add_argument("-o", "--output", help="directory to write guideline.yaml, glossary.yaml, checklist.yaml into")
    ex.add_argument("--url")
    ex.add_argument("--token")
    kn.set_defaults(func=cmd_knowledge)
    sub.add_parser("report", help="for the comms team: unanswered questions, feedback, open requests").set_defaults(
        func=cmd_report)
    sub.add_parser("serve", help="run the Slack/Teams service (PORT, SLACK_*, Microsoft*)").set_defaults(func=cmd_serve)
    pkg = sub.add_parser("teams-package", help="write the Teams app zip (manifest with the bot id, icons)")
    pkg.add_argument("--app-id", help="the Azure Bot's app id (default: MicrosoftAppId)")
    pkg.add_argument("--organisation", default="guidebot")
    pkg.add_argument("--website", default="https://example.org", help="https address shown in Teams")
    pkg.add_argument("-o", "--output", default="guidebot-teams.zip")
    pkg.set_defaults(func=cmd_teams_package)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KnowledgeError as exc:
        print(f"guidebot: {exc}", file=sys.stderr)
        return 1
