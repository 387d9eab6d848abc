"""Several guideline documents in one bot: each is published, versioned and answered on its own, and a
database from the one-document days upgrades in place."""
from __future__ import annotations

import json
import shutil

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from conftest import ADMIN, ROOT
from guidebot.bot.store import Store, database_url
from test_cli_versions import guidebot
from test_import import FIXTURES


def directory_with_two_documents(tmp_path):
    directory = tmp_path / "k"
    shutil.copytree(ROOT / "knowledge", directory, ignore=shutil.ignore_patterns("source"))
    assert guidebot("knowledge", "import", str(FIXTURES / "it-sikkerhet.html"), "-o", str(directory),
                    cwd=tmp_path, db="sqlite://").returncode == 0
    return directory, directory / "documents" / "informasjonssikkerhet.yaml"


def test_one_document_is_published_without_touching_the_others_version(tmp_path):
    db = f"sqlite:///{tmp_path / 'guidebot.db'}"
    directory, security = directory_with_two_documents(tmp_path)
    first = guidebot("knowledge", "publish", "k", "--note", "IT-sikkerhet lagt til", cwd=tmp_path, db=db)
    assert first.returncode == 0, first.stderr
    security.write_text(security.read_text(encoding="utf-8").replace("minst 14 tegn", "minst 16 tegn"), encoding="utf-8")
    refused = guidebot("knowledge", "publish", "k", "--note", "lengre passord", cwd=tmp_path, db=db)
    assert refused.returncode == 1 and "'informasjonssikkerhet' is still '1.0'" in refused.stderr
    security.write_text(security.read_text(encoding="utf-8").replace("version: '1.0'", "version: '1.1'"), encoding="utf-8")
    published = guidebot("knowledge", "publish", "k", "--note", "lengre passord", cwd=tmp_path, db=db)
    assert published.returncode == 0, published.stderr
    assert "informasjonssikkerhet 1.1" in guidebot("knowledge", "history", cwd=tmp_path, db=db).stdout
    answer = json.loads(guidebot("ask", "--json", "hvor mange tegn skal passordet ha?", cwd=tmp_path, db=db).stdout)
    assert "minst 16 tegn" in answer["passages"][0]["text"]
    assert answer["passages"][0]["document"]["version"] == "1.1"
    other = json.loads(guidebot("ask", "--json", "kan jeg legge ut bilde av barn?", cwd=tmp_path, db=db).stdout)
    assert other["passages"][0]["document"] == {"id": "veileder-sosiale-medier", "version": "1.0",
                                                 "title": "Veileder for bruk av sosiale medier i Lørenskog kommune"}
    assert guidebot("knowledge", "rollback", "#2", cwd=tmp_path, db=db).returncode == 0  # #1: the bundled seed
    back = json.loads(guidebot("ask", "--json", "hvor mange tegn skal passordet ha?", cwd=tmp_path, db=db).stdout)
    assert "minst 14 tegn" in back["passages"][0]["text"] and back["passages"][0]["document"]["version"] == "1.0"
    exported = guidebot("knowledge", "export", "-o", "out", cwd=tmp_path, db=db)
    assert exported.returncode == 0
    assert "minst 14 tegn" in (tmp_path / "out" / "documents" / "informasjonssikkerhet.yaml").read_text(encoding="utf-8")


async def test_a_database_from_the_one_document_days_upgrades_in_place(db_url):
    """Schema 2 had no column for further documents: the upgrade adds it and the live version still answers."""
    bundled = (ROOT / "knowledge" / "guideline.yaml").read_text(encoding="utf-8")
    engine = create_async_engine(database_url(db_url))
    async with engine.begin() as conn:
        await conn.execute(sa.text("CREATE TABLE guidebot_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)"))
        await conn.execute(sa.text(
            "CREATE TABLE knowledge_versions (id INTEGER PRIMARY KEY, created_at FLOAT NOT NULL, author VARCHAR(200) "
            "NOT NULL, note TEXT NOT NULL, checksum VARCHAR(64) NOT NULL, version VARCHAR(64) NOT NULL, guideline TEXT "
            "NOT NULL, glossary TEXT NOT NULL, checklist TEXT NOT NULL, action VARCHAR(16) NOT NULL)"))
        await conn.execute(sa.text("INSERT INTO knowledge_versions VALUES (1, 0, 'guidebot', 'seed', 'x', '1.0', :g, "
                                   "'terms: []', '', 'seed')"), {"g": bundled})
        await conn.execute(sa.text("INSERT INTO guidebot_meta VALUES ('schema_version', '2'), ('live_version', '1')"))
    await engine.dispose()
    from guidebot.bot.publishing import Publisher
    from guidebot.bot.settings import Settings

    store = Store(db_url)
    await store.start()
    try:
        assert await store.get_meta("schema_version") == "5"
        live = await Publisher(store, Settings()).load_live()
        assert live is not None and live.document.id == "veileder-sosiale-medier" and len(live.documents) == 1
    finally:
        await store.close()


async def test_the_admin_api_publishes_a_further_document_and_answers_from_it(admin_service, fake_slack, tmp_path):
    from test_guideline_updates import ask_dm, publish

    directory, security = directory_with_two_documents(tmp_path)
    body = {"guideline": (directory / "guideline.yaml").read_text(encoding="utf-8"),
            "documents": {"../../etc/passwd": "x"}, "note": "IT-sikkerhet"}
    status, refused = await publish(admin_service, json.dumps(body), content_type="application/json")
    assert status == 400 and "documents/<id>.yaml" in refused["error"]
    body["documents"] = {"documents/informasjonssikkerhet.yaml": security.read_text(encoding="utf-8")}
    status, published = await publish(admin_service, json.dumps(body), content_type="application/json")
    assert status == 201, published
    assert "minst 14 tegn" in await ask_dm(admin_service, fake_slack, "hvor mange tegn skal passordet ha?", "Ev-doc1")
    async with admin_service.http.get(admin_service.url + "/admin/knowledge",
                                      headers={"Authorization": "Bearer " + ADMIN}) as response:
        live = await response.json()
    assert list(live["documents"]) == ["documents/informasjonssikkerhet.yaml"]


async def test_a_list_imported_with_its_lead_in_is_quoted_in_slack_an_item_a_line(admin_service, fake_slack, tmp_path):
    """"I dialog med innbyggerne skal vi: • Svare … • Takke …" is one passage; in the chat each item is a
    quoted line of its own, as on the page it came from."""
    from test_guideline_updates import ask_dm, publish

    directory = tmp_path / "k"
    shutil.copytree(ROOT / "knowledge", directory, ignore=shutil.ignore_patterns("source"))
    assert guidebot("knowledge", "import", str(FIXTURES / "nettside-lister.txt"), "-o", str(directory),
                    cwd=tmp_path, db="sqlite://").returncode == 0
    [imported] = (directory / "documents").glob("*.yaml")
    body = {"guideline": (directory / "guideline.yaml").read_text(encoding="utf-8"), "note": "Fjordvik",
            "documents": {f"documents/{imported.name}": imported.read_text(encoding="utf-8")}}
    status, published = await publish(admin_service, json.dumps(body), content_type="application/json")
    assert status == 201, published
    reply = await ask_dm(admin_service, fake_slack, "fjordvik: hvor raskt skal vi svare innbyggerne", "Ev-list1")
    quoted = "> I dialog med innbyggerne skal vi:\n> • Svare innen to virkedager\n> • Takke for ros"
    assert json.dumps(quoted, ensure_ascii=False)[1:-1] in reply  # the blocks, as JSON


def test_a_question_can_name_the_document_it_asks(tmp_path):
    directory, _ = directory_with_two_documents(tmp_path)
    from test_import import ask

    named = ask(directory, "sosiale: kan jeg legge ut bilde av barn?")
    assert named["outcome"] == "answer" and named["passages"][0]["document"]["id"] == "veileder-sosiale-medier"
    elsewhere = ask(directory, "sikkerhet: kan jeg legge ut bilde av barn?")
    assert elsewhere["outcome"] != "answer", "the security guideline says nothing about photos of children"
    assert all(p["document"]["id"] == "informasjonssikkerhet" for p in elsewhere["passages"])
    plain = ask(directory, "Merk: kan jeg legge ut bilde av barn?")
    assert plain["outcome"] == "answer", "a colon after a word that names no document is just text"


def test_one_document_rolls_back_while_the_others_stay_as_they_are(tmp_path):
    db = f"sqlite:///{tmp_path / 'guidebot.db'}"
    directory, security = directory_with_two_documents(tmp_path)
    assert guidebot("knowledge", "publish", "k", "--note", "IT", cwd=tmp_path, db=db).returncode == 0  # #2
    security.write_text(security.read_text(encoding="utf-8").replace("minst 14 tegn", "minst 16 tegn")
                        .replace("version: '1.0'", "version: '1.1'"), encoding="utf-8")
    main = directory / "guideline.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    assert guidebot("knowledge", "publish", "k", "--note", "begge", cwd=tmp_path, db=db).returncode == 0  # #3
    history = guidebot("knowledge", "history", "--document", "informasjonssikkerhet", cwd=tmp_path, db=db).stdout
    assert "#3" in history and "#2" in history and "#1" not in history, "the seed did not hold this document"
    main.write_text(main.read_text(encoding="utf-8").replace('version: "1.1"', 'version: "1.2"'), encoding="utf-8")
    security.write_text(security.read_text(encoding="utf-8").replace("minst 16 tegn", "minst 20 tegn"), encoding="utf-8")
    only = guidebot("knowledge", "diff", "k", "--document", "informasjonssikkerhet", cwd=tmp_path, db=db).stdout
    assert "minst 20 tegn" in only and "1.1 → 1.1" in only and "bilder" not in only
    security.write_text(security.read_text(encoding="utf-8").replace("minst 20 tegn", "minst 16 tegn"), encoding="utf-8")
    main.write_text(main.read_text(encoding="utf-8").replace('version: "1.2"', 'version: "1.1"'), encoding="utf-8")
    rolled = guidebot("knowledge", "rollback", "#2", "--document", "informasjonssikkerhet", cwd=tmp_path, db=db)
    assert rolled.returncode == 0, rolled.stderr
    security_answer = json.loads(guidebot("ask", "--json", "hvor mange tegn skal passordet ha?", cwd=tmp_path, db=db).stdout)
    assert "minst 14 tegn" in security_answer["passages"][0]["text"]
    assert security_answer["passages"][0]["document"]["version"] == "1.0"
    main_answer = json.loads(guidebot("ask", "--json", "kan jeg legge ut bilde av barn?", cwd=tmp_path, db=db).stdout)
    assert main_answer["passages"][0]["document"]["version"] == "1.1", "the other document keeps its new version"
    unknown = guidebot("knowledge", "rollback", "#2", "--document", "finnes-ikke", cwd=tmp_path, db=db)
    assert unknown.returncode != 0 and "finnes-ikke" in unknown.stderr and "Traceback" not in unknown.stderr


def test_when_two_documents_speak_to_the_question_the_answer_shows_both_with_their_sources(tmp_path):
    directory = tmp_path / "k"
    shutil.copytree(ROOT / "knowledge", directory, ignore=shutil.ignore_patterns("source"))
    assert guidebot("knowledge", "import", str(FIXTURES / "bildebruk.md"), "-o", str(directory),
                    cwd=tmp_path, db="sqlite://").returncode == 0
    shown = guidebot("ask", "--knowledge", str(directory), "kan jeg legge ut bilde av barn?", cwd=tmp_path, db="sqlite://").stdout
    sources = [line for line in shown.splitlines() if "— Fra" in line]
    assert any("Veileder for bruk av sosiale medier i Lørenskog kommune, versjon 1.0" in s for s in sources)
    assert any("Retningslinjer for bilder, film og lyd i Fjellvik kommune, versjon 1.0" in s for s in sources)
    assert "skriftlig tillatelse fra foreldre" in shown and "begge foresatte samtykke" in shown
