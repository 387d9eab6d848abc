"""The database schema's history as Alembic revisions (versions/), applied at every start.

A database from before Alembic has no alembic_version table: it takes the same path from the first
revision as an empty one, and each revision adds only what is missing (a column or table an older guidebot
already made is left as it is), so every deployment, however old, ends at the same schema. Revision ids
are the schema numbers, which `guidebot_meta.schema_version` keeps reporting for people and tools.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

HERE = Path(__file__).resolve().parent


def config(connection: Any) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return str(ScriptDirectory.from_config(config(None)).get_current_head())


def current(connection: Any) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Any) -> str:
    """Brings the database on this (synchronous) connection to the newest schema; returns its revision.
    One at a time in a process (the caller sees to it): Alembic keeps the running migration's context in
    a module global."""
    command.upgrade(config(connection), "head")
    revision = current(connection) or head()
    _report(connection, revision)
    return revision


def add_column(table: str, column: sa.Column[Any]) -> None:
    """Adds the column unless the table has it (made by a guidebot from before Alembic)."""
    from alembic import op

    if column.name not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}:
        op.add_column(table, column)


def create_table(name: str, *columns: Any) -> None:
    from alembic import op

    if not sa.inspect(op.get_bind()).has_table(name):
        op.create_table(name, *columns)


def _report(connection: Any, revision: str) -> None:
    """`schema_version` in guidebot_meta follows the revision (an upsert that two replicas may race on)."""
    number = str(int(revision)) if revision.isdigit() else revision
    updated = connection.execute(sa.text("UPDATE guidebot_meta SET value = :v WHERE key = 'schema_version'"),
                                 {"v": number})
    if updated.rowcount == 0:
        connection.execute(sa.text("INSERT INTO guidebot_meta (key, value) VALUES ('schema_version', :v)"),
                           {"v": number})
