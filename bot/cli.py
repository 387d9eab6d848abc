"""`guidebot` on the command line: ask, chat, eval, knowledge tools and the service.

Heavy imports (aiohttp, Slack, Teams, the database) happen inside the commands that need them, so
`guidebot ask` answers in well under a second from a cold start.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .answers import Answer, AnswerEngine
from .knowledge import KnowledgeError, load_directory
from .messages import say


def render_text(answer: Answer) -> str:
    """A readable terminal rendering: the quote, where it is from, the translation for English askers."""
    if not answer.answered:
        if answer.reason == "empty":
            return say("empty", answer.lang)
        if answer.reason == "too_long":
            return say("too_long", answer.lang, limit=500)
        return say("declined", answer.lang, contact=answer.contact)
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
    return {"question": answer.question, "lang": answer.lang, "answered": answer.answered,
            "passages": [{"id": p.id, "section": p.section, "title": p.title, "text": p.text,
                          "translation": p.translation, "score": p.score} for p in answer.candidates[:5]]}


def _engine(args: argparse.Namespace) -> AnswerEngine:
    return AnswerEngine(load_directory(Path(args.knowledge) if args.knowledge else None))


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
    from .evaluation import evaluate, format_report, load_cases

    scores, misses = evaluate(_engine(args), load_cases(Path(args.file)))
    if args.verbose:
        for case, answer in misses:
            got = [c.id for c in answer.candidates[:3]]
            print(f"MISS [{case.lang}] {case.question!r} answered={answer.answered} "
                  f"conf={answer.confidence} got={got} expect={list(case.expect)[:1]}")
    print(format_report(scores))
    return 0


def cmd_knowledge(args: argparse.Namespace) -> int:
    if args.action == "import":
        from .importer import draft_yaml

        source = Path(args.path)
        text = draft_yaml(source.read_text(encoding="utf-8"), source.name)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"draft written to {args.output}: check it, then fill in translations", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    if args.action == "validate":
        path = Path(args.path)
        guideline = load_directory(path if path.is_dir() else path.parent)
        print(f"ok: {guideline.document.title}, version {guideline.document.version}, "
              f"{len(guideline.passages)} passages")
        return 0
    raise AssertionError(args.action)


def cmd_serve(args: argparse.Namespace) -> int:
    from adapters.server import serve

    return serve()


def cmd_teams_package(args: argparse.Namespace) -> int:
    import os

    from adapters.teams.package import PackageError, build

    try:
        out = build(args.app_id or os.environ.get("MicrosoftAppId", ""), Path(args.output),
                    organisation=args.organisation, website=args.website)
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
    kn.set_defaults(func=cmd_knowledge)
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
