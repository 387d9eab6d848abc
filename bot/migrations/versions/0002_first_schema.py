"""Schema 2, the first one under Alembic: every table as guidebot had them before migrations were Alembic's.

From an empty database this creates them; a database of schema 1 (no `answers.outcome`, no examples or
vectors yet) gets what it lacks. Frozen here: later changes are later revisions, never edits of this one.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from guidebot.bot.migrations import add_column

revision = "0002"
down_revision = None
branch_labels = None
depends_on = None

metadata = sa.MetaData()

meta = sa.Table("guidebot_meta", metadata,
                sa.Column("key", sa.String(64), primary_key=True),
                sa.Column("value", sa.Text, nullable=False))

answers = sa.Table("answers", metadata,
                   sa.Column("id", sa.String(32), primary_key=True),
                   sa.Column("created_at", sa.Float, nullable=False, index=True),
                   sa.Column("platform", sa.String(16), nullable=False),
                   sa.Column("user_hash", sa.String(64), nullable=False),
                   sa.Column("question", sa.Text),  # deleted after the retention period
                   sa.Column("lang", sa.String(8), nullable=False),
                   sa.Column("answered", sa.Boolean, nullable=False),
                   sa.Column("passage_id", sa.String(200)),
                   sa.Column("version", sa.String(64), nullable=False),
                   sa.Column("confidence", sa.Float, nullable=False),
                   sa.Column("outcome", sa.String(16)))  # answer, clarify, decline (NULL before schema 2)

# Labelled examples: a question and the passage a person said answers it ("Did you mean" picks now;
# the comms team's attachments later). The learning loop reads them.
examples = sa.Table("examples", metadata,
                    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    sa.Column("created_at", sa.Float, nullable=False),
                    sa.Column("question", sa.Text, nullable=False),
                    sa.Column("passage_id", sa.String(200)),  # NULL: out of scope
                    sa.Column("version", sa.String(64), nullable=False),
                    sa.Column("source", sa.String(32), nullable=False),  # clarify_pick, …
                    sa.Column("user_hash", sa.String(64), nullable=False),
                    sa.Column("answer_id", sa.String(32)))

# Passage vectors of the semantic signal, by the checksum of the texts they embed: computed once per
# knowledge version for every replica and restart.
vectors = sa.Table("passage_vectors", metadata,
                   sa.Column("key", sa.String(64), primary_key=True),
                   sa.Column("data", sa.LargeBinary, nullable=False),
                   sa.Column("created_at", sa.Float, nullable=False))

feedback = sa.Table("feedback", metadata,
                    sa.Column("answer_id", sa.String(32), primary_key=True),
                    sa.Column("user_hash", sa.String(64), primary_key=True),
                    sa.Column("helpful", sa.Boolean, nullable=False),
                    sa.Column("passage_id", sa.String(200)),
                    sa.Column("created_at", sa.Float, nullable=False))

user_prefs = sa.Table("user_prefs", metadata,
                      sa.Column("user_hash", sa.String(64), primary_key=True),
                      sa.Column("lang", sa.String(8), nullable=False))

requests = sa.Table("checklist_requests", metadata,
                    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    sa.Column("created_at", sa.Float, nullable=False),
                    sa.Column("updated_at", sa.Float, nullable=False),
                    sa.Column("platform", sa.String(16), nullable=False),
                    # the requester's chat address is kept: the bot must tell them when the chief answers
                    sa.Column("requester", sa.JSON, nullable=False),
                    sa.Column("requester_hash", sa.String(64), nullable=False, index=True),
                    sa.Column("status", sa.String(32), nullable=False, index=True),
                    sa.Column("lang", sa.String(8), nullable=False),
                    sa.Column("answers", sa.JSON, nullable=False),
                    sa.Column("version", sa.String(64), nullable=False),
                    sa.Column("acknowledged_by", sa.String(200)),
                    sa.Column("acknowledged_at", sa.Float))

request_history = sa.Table("checklist_request_history", metadata,
                           sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                           sa.Column("request_id", sa.Integer, nullable=False, index=True),
                           sa.Column("at", sa.Float, nullable=False),
                           sa.Column("status", sa.String(32), nullable=False),
                           sa.Column("actor_hash", sa.String(64)),
                           sa.Column("note", sa.Text))

outbox = sa.Table("outbox", metadata,
                  sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                  sa.Column("created_at", sa.Float, nullable=False),
                  sa.Column("platform", sa.String(16), nullable=False),
                  sa.Column("recipient", sa.JSON, nullable=False),
                  sa.Column("kind", sa.String(64), nullable=False),
                  sa.Column("payload", sa.JSON, nullable=False),
                  sa.Column("status", sa.String(16), nullable=False, index=True),  # pending, sending, sent
                  sa.Column("attempts", sa.Integer, nullable=False, default=0),
                  sa.Column("next_attempt_at", sa.Float, nullable=False, index=True),
                  sa.Column("claimed_until", sa.Float),
                  sa.Column("last_error", sa.Text),
                  sa.Column("sent_at", sa.Float))

processed_events = sa.Table("processed_events", metadata,
                            sa.Column("event_id", sa.String(128), primary_key=True),
                            sa.Column("received_at", sa.Float, nullable=False, index=True))

conversation_refs = sa.Table("conversation_refs", metadata,
                             sa.Column("key", sa.String(300), primary_key=True),
                             sa.Column("reference", sa.JSON, nullable=False),
                             sa.Column("updated_at", sa.Float, nullable=False))

knowledge_versions = sa.Table("knowledge_versions", metadata,
                              sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                              sa.Column("created_at", sa.Float, nullable=False),
                              sa.Column("author", sa.String(200), nullable=False),
                              sa.Column("note", sa.Text, nullable=False),
                              sa.Column("checksum", sa.String(64), nullable=False),
                              sa.Column("version", sa.String(64), nullable=False),
                              sa.Column("guideline", sa.Text, nullable=False),
                              sa.Column("glossary", sa.Text, nullable=False),
                              sa.Column("checklist", sa.Text, nullable=False),
                              sa.Column("action", sa.String(16), nullable=False))  # publish, rollback, seed



def upgrade() -> None:
    metadata.create_all(op.get_bind(), checkfirst=True)
    add_column("answers", sa.Column("outcome", sa.String(16)))  # a schema-1 database lacks it


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
