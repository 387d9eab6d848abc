"""Schema migrations (Alembic, bot/migrations): from an empty database, from the schema guidebot shipped
before its migrations were Alembic's, and with two replicas starting at once. Each on SQLite and on the
real PostgreSQL server."""
from __future__ import annotations

import asyncio
import json

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from guidebot.bot import migrations
from guidebot.bot.knowledge import read_directory
from guidebot.bot.schema import SCHEMA_VERSION, metadata
from guidebot.bot.store import Store, database_url


def _shape(sync_conn) -> dict[str, tuple]:
    inspector = sa.inspect(sync_conn)
    return {table: (sorted((c["name"], c["nullable"]) for c in inspector.get_columns(table)),
                    sorted(i["name"] for i in inspector.get_indexes(table)))
            for table in inspector.get_table_names() if table != "alembic_version"}


async def _database_shape(db_url: str) -> dict[str, tuple]:
    engine = create_async_engine(database_url(db_url))
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_shape)
    finally:
        await engine.dispose()


async def test_an_empty_database_gets_exactly_the_tables_that_schema_py_describes(db_url, tmp_path):
    store = Store(db_url)
    await store.start()
    await store.close()
    migrated = await _database_shape(db_url)
    reference = f"sqlite:///{tmp_path / 'reference.db'}" if "sqlite" in db_url else None
    if reference:  # what SQLAlchemy itself would create from schema.py
        engine = create_async_engine(database_url(reference))
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await engine.dispose()
        assert migrated == await _database_shape(reference)
    assert set(migrated) == set(metadata.tables)
    for name, table in metadata.tables.items():
        assert [c for c, _ in migrated[name][0]] == sorted(c.name for c in table.columns), name
    assert migrations.head() == f"{SCHEMA_VERSION:04d}"


async def test_a_database_of_the_schema_that_shipped_before_alembic_keeps_its_data(db_url):
    """Schema 3, as guidebot made it before this change: no alembic_version table, its number in
    guidebot_meta, a live guideline, a labelled example and a request."""
    engine = create_async_engine(database_url(db_url))
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: _as_before_alembic(sync, "0003"))
        bundled = read_directory()
        await conn.execute(sa.text(
            "INSERT INTO knowledge_versions (created_at, author, note, checksum, version, guideline, glossary, "
            "checklist, action) VALUES (1, 'guidebot', 'seed', 'x', '1.0', :g, :l, :c, 'seed')"),
            {"g": bundled.guideline, "l": bundled.glossary, "c": bundled.checklist})
        await conn.execute(sa.text("INSERT INTO guidebot_meta (key, value) VALUES ('live_version', '1')"))
        await conn.execute(sa.text("INSERT INTO examples (created_at, question, passage_id, version, source, user_hash) "
                                   "VALUES (1, 'kan jeg?', 'bilder-barn', '1.0', 'clarify_pick', 'h')"))
        await conn.execute(sa.text(
            "INSERT INTO checklist_requests (created_at, updated_at, platform, requester, requester_hash, status, "
            "lang, answers, version) VALUES (1, 1, 'slack', :r, 'h', 'submitted', 'nb', :a, '1.0')"),
            {"r": json.dumps({"user_id": "U1"}), "a": json.dumps({"name": "Biblioteket"})})
    await engine.dispose()

    store = Store(db_url)
    await store.start()
    try:
        assert await store.get_meta("schema_version") == str(SCHEMA_VERSION)
        from guidebot.bot.publishing import Publisher
        from guidebot.bot.settings import Settings

        live = await Publisher(store, Settings()).load_live()
        assert live is not None and live.passage("bilder-barn") is not None
        [kept] = await store.list_examples()
        assert kept["question"] == "kan jeg?" and kept["actor"] is None
        [request] = await store.list_requests()
        assert request["answers"] == {"name": "Biblioteket"}
    finally:
        await store.close()
    assert set(await _database_shape(db_url)) == set(metadata.tables)


def _as_before_alembic(sync_conn, revision: str) -> None:
    """The tables of an older schema (its frozen revisions), then as guidebot left them before Alembic: no
    alembic_version table, the schema's number in guidebot_meta."""
    from alembic import command

    command.upgrade(migrations.config(sync_conn), revision)
    sync_conn.execute(sa.text("DROP TABLE alembic_version"))
    sync_conn.execute(sa.text("INSERT INTO guidebot_meta (key, value) VALUES ('schema_version', :v)"),
                      {"v": str(int(revision))})


async def test_two_replicas_starting_on_an_empty_database_both_come_up(db_url):
    first, second = Store(db_url), Store(db_url)
    try:
        await asyncio.gather(first.start(), second.start())
        assert await first.get_meta("schema_version") == await second.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert first.pseudonym("slack", "U1") == second.pseudonym("slack", "U1")  # one key for both
    finally:
        await first.close()
        await second.close()
