"""The database schema: every table in one place, and the upgrades from one schema version to the next.

`store.py` is the only module that queries these tables; this one only says what they are. How a database
gets them, from empty or from any older guidebot, is bot/migrations (Alembic revisions, run at start-up).
"""
from __future__ import annotations

import sqlalchemy as sa

SCHEMA_VERSION = 5  # the newest revision in bot/migrations/versions: a change here is a new revision there

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
                    sa.Column("answer_id", sa.String(32)),
                    sa.Column("actor", sa.String(200)),  # the comms team member's name (workbench decisions)
                    sa.Column("document", sa.String(200)))  # the document it concerns (a new rule: its owner's list)

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
                              sa.Column("action", sa.String(16), nullable=False),  # publish, rollback, seed
                              # further documents of the directory, {"documents/x.yaml": text} (NULL before 3)
                              sa.Column("documents", sa.Text))

# Questions escalated to the comms team, by where the notice landed (platform and message): a reply in
# that thread goes back to the asker through the bot, and is kept here for the team's inbox.
escalations = sa.Table("escalations", metadata,
                       sa.Column("ref", sa.String(300), primary_key=True),
                       sa.Column("created_at", sa.Float, nullable=False),
                       sa.Column("answer_id", sa.String(32)),
                       sa.Column("asker", sa.JSON, nullable=False),  # platform and user id: the reply goes there
                       sa.Column("question", sa.Text),
                       sa.Column("lang", sa.String(8), nullable=False),
                       sa.Column("reply", sa.Text),
                       sa.Column("replied_at", sa.Float))

# The workbench's one-time sign-in links and its sessions, by the hash of their secret (a stolen database
# copy opens nothing). Kept in the database: a link made on one replica opens on any other.
web_sessions = sa.Table("web_sessions", metadata,
                        sa.Column("token_hash", sa.String(64), primary_key=True),
                        sa.Column("kind", sa.String(16), nullable=False),  # link, session
                        sa.Column("created_at", sa.Float, nullable=False),
                        sa.Column("expires_at", sa.Float, nullable=False, index=True),
                        sa.Column("used_at", sa.Float),
                        sa.Column("actor", sa.String(200), nullable=False),  # a display name, for history
                        sa.Column("actor_hash", sa.String(64), nullable=False),
                        sa.Column("csrf", sa.String(64)))
