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

from ..bot import commands
from ..bot.answers import AnswerEngine
from ..bot.knowledge import Guideline, KnowledgeError, load_directory
from ..bot.messages import help_text
from ..bot.settings import load_settings
from ..bot.semantic import FileCache
from .terminal import answer_json, render_text


def _engine(args: argparse.Namespace) -> AnswerEngine:
    """--knowledge DIR if given; else the live version of the local store if there is one; else the bundled files."""
    from ..bot.settings import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        raise SystemExit(f"guidebot: {error}") from None
    return AnswerEngine.build(_guideline(args), policy=settings.policy(), cache=FileCache(), contact=settings.contact)


def _guideline(args: argparse.Namespace) -> Guideline:
    if args.knowledge:
        return load_directory(Path(args.knowledge))
    if os.environ.get("DATABASE_URL") or Path("guidebot.db").exists():
        import asyncio

        from .cli_admin import local_bot

        async def live() -> Guideline:
            bot = await local_bot()
            await bot.close()
            return bot.guideline

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
    print(f"guidebot · {engine.guideline.titles}. Ctrl-D to quit.".replace("», «", " · "))
    while True:
        try:
            question = input("\n? ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        command = commands.parse(question)
        if command.kind in (commands.HELP, commands.NEW_CHANNEL, commands.ADMIN):
            settings = load_settings()
            print(help_text(engine.guideline, "nb", "/new-channel (Slack, Teams)", settings.help_examples.get("nb", ()),
                            settings.greeting.get("nb", "")))
            continue
        print(render_text(engine.answer(command.text)))


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


def cmd_report(args: argparse.Namespace) -> int:
    from .cli_admin import cmd_report as report

    return report(args)


def cmd_knowledge(args: argparse.Namespace) -> int:
    if args.action in ("diff", "publish", "history", "rollback", "export"):
        from .cli_admin import versions_command

        return versions_command(args)
    if args.action == "import":
        return _import(Path(args.path), args.output)
    if args.action == "suggest":
        return _suggest(Path(args.path), args.accept, args.output)
    if args.action == "validate":
        from ..bot.knowledge import warnings
        from ..bot.publishing import read_candidate

        guideline = read_candidate(Path(args.path)).build(args.path)
        documents = guideline.documents
        print(f"ok: {len(documents)} document(s), {len(guideline.passages)} passages: "
              + "; ".join(f"{d.title} ({d.id}), version {d.version}" for d in documents))
        for warning in warnings(guideline):
            print(f"warning: {warning}", file=sys.stderr)
        return 0
    raise AssertionError(args.action)


def _import(source: Path, output: str | None) -> int:
    """To a knowledge directory (made, or added to), or as one YAML document to a .yaml file or stdout."""
    from ..bot.formats import FormatError
    from ..bot.importer import draft_yaml, import_file, import_into

    if not source.exists():
        raise SystemExit(f"guidebot: {source}: file not found")
    try:
        if output is None or output.endswith((".yaml", ".yml")):
            draft = import_file(source)
            if not draft.passages:
                raise FormatError(f"{source.name}: found no text to quote (an empty file, or headings only)")
            text = draft_yaml(draft)
            if output is None:
                sys.stdout.write(text)
            else:
                Path(output).write_text(text, encoding="utf-8")
                print(f"written to {output}", file=sys.stderr)
            return 0
        directory = Path(output)
        before = load_directory(directory) if (directory / "guideline.yaml").exists() else None
        imported = import_into(source, directory)
    except FormatError as error:
        raise SystemExit(f"guidebot: {error}") from None
    document = imported.draft.document
    print(f"{'re-imported' if imported.replaced else 'imported'} {document['title']} ({document['id']}, "
          f"language {document['language']}, {len(imported.draft.passages)} passages) to {imported.path}")
    if imported.replaced and before is not None:
        from ..bot.publishing import diff, document_view

        after = load_directory(directory)
        print(diff(document_view(before, document["id"]), document_view(after, document["id"])).text())
    from .cli_admin import prepare_semantic

    prepare_semantic(load_directory(directory))
    print(f"try it: guidebot ask --knowledge {directory} \"what does it say about …?\"\n"
          f"before publishing: guidebot knowledge diff {directory}", file=sys.stderr)
    return 0


def _suggest(directory: Path, accepted: str | None, output: str | None) -> int:
    """Proposes questions and keywords per passage (to a file a person edits), or adds the accepted ones."""
    from ..bot import suggestions

    if accepted:
        added = suggestions.accept(directory, Path(accepted).read_text(encoding="utf-8"), accepted)
        guideline = load_directory(directory)  # the files still validate
        print(f"added {added} questions and keywords to {directory} ({len(guideline.passages)} passages)")
        return 0
    engine = AnswerEngine.build(load_directory(directory), cache=FileCache())
    found = suggestions.suggest(engine, _asked())
    target = Path(output) if output else directory / "suggestions.yaml"
    target.write_text(suggestions.suggestions_yaml(found, str(directory)), encoding="utf-8")
    print(f"{sum(len(s.questions) for s in found)} questions and {sum(len(s.keywords) for s in found)} keywords "
          f"for {len(found)} passages written to {target}: delete what is wrong, then "
          f"`guidebot knowledge suggest {directory} --accept {target}`")
    return 0


def _asked() -> list[str]:
    """Questions employees asked that the bot did not answer, from the local store if there is one."""
    if not (os.environ.get("DATABASE_URL") or Path("guidebot.db").exists()):
        return []
    import asyncio

    from ..bot.store import Store

    async def read() -> list[str]:
        store = Store()
        await store.start()
        try:
            return [question for question, _count in await store.unanswered(limit=500)]
        finally:
            await store.close()

    return asyncio.run(read())


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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("guidebot")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guidebot", description="Answers questions about the guideline.")
    parser.add_argument("--knowledge", help="knowledge directory (default: the live version, else the bundled one)")
    parser.add_argument("--version", action="version", version=f"guidebot {_version()}")
    common = argparse.ArgumentParser(add_help=False)  # global options accepted after the subcommand too
    common.add_argument("--knowledge", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", parents=[common], help="answer one question (or, with --json and none, one per stdin line)")
    ask.add_argument("question", nargs="*", help="the question (several words need no quotes)")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer (see README)")
    ask.set_defaults(func=cmd_ask)
    sub.add_parser("chat", parents=[common], help="interactive prompt").set_defaults(func=cmd_chat)
    ev = sub.add_parser("eval", parents=[common], help="score an evaluation set")
    ev.add_argument("file")
    ev.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    ev.set_defaults(func=cmd_eval)
    kn = sub.add_parser("knowledge", parents=[common], help="import and validate guideline files")
    kn_sub = kn.add_subparsers(dest="action", required=True)
    imp = kn_sub.add_parser("import", parents=[common],
                            help="a guideline (.txt, .md, .html, .docx, .pdf) → a knowledge directory that answers")
    imp.add_argument("path")
    imp.add_argument("-o", "--output", help="knowledge directory to write or add to (a .yaml name: only the document)")
    kn_sub.add_parser("validate", parents=[common], help="check a knowledge directory or guideline.yaml").add_argument("path")
    sug = kn_sub.add_parser("suggest", parents=[common],
                            help="propose alternative questions and keywords per passage, for a person to accept")
    sug.add_argument("path", help="knowledge directory")
    sug.add_argument("-o", "--output", help="where to write the suggestions (default: DIR/suggestions.yaml)")
    sug.add_argument("--accept", metavar="FILE", help="add the questions and keywords left in FILE to the directory")
    dif = kn_sub.add_parser("diff", parents=[common], help="passages added, removed, changed against the live version")
    dif.add_argument("path")
    dif.add_argument("--document", help="only this document (its id)")
    pub = kn_sub.add_parser("publish", parents=[common], help="publish a knowledge directory or guideline.yaml")
    pub.add_argument("path")
    pub.add_argument("--note", required=True, help="what changed and why (shown in the history and announcement)")
    hist = kn_sub.add_parser("history", parents=[common], help="every published version")
    hist.add_argument("--document", help="only the versions where this document (its id) changed")
    for sub_parser in (pub, hist):
        sub_parser.add_argument("--url", help="a running service (its admin API) instead of the local store")
        sub_parser.add_argument("--token", help="the service's GUIDEBOT_ADMIN_TOKEN (default: that variable)")
    rb = kn_sub.add_parser("rollback", parents=[common], help="make an earlier version live again")
    rb.add_argument("version", help="its number (#3) or version label (1.0)")
    rb.add_argument("--document", help="only this document (its id) as it was then; the others stay as they are")
    rb.add_argument("--url")
    rb.add_argument("--token")
    ex = kn_sub.add_parser("export", parents=[common], help="the live version as YAML, for committing to git")
    ex.add_argument("-o", "--output", help="directory to write guideline.yaml, glossary.yaml, checklist.yaml into")
    ex.add_argument("--url")
    ex.add_argument("--token")
    kn.set_defaults(func=cmd_knowledge)
    sub.add_parser("report", parents=[common],
                   help="for the comms team: unanswered questions, feedback, open requests").set_defaults(func=cmd_report)
    sub.add_parser("serve", parents=[common], help="run the Slack/Teams service",
                   description="Environment: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL, "
                               "MicrosoftAppId, MicrosoftAppPassword, GUIDEBOT_TEAMS_LOCAL=1, DATABASE_URL, PORT, HOST, "
                               "WEB_CONCURRENCY, GUIDEBOT_SETTINGS, GUIDEBOT_ADMIN_TOKEN, GUIDEBOT_SEMANTIC."
                   ).set_defaults(func=cmd_serve)
    pkg = sub.add_parser("teams-package", parents=[common], help="write the Teams app zip (manifest with the bot id, icons)")
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
