"""Schema 4: the workbench's sign-in links and sessions, and who decided a labelled example."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from guidebot.bot.migrations import add_column, create_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_column("examples", sa.Column("actor", sa.String(200)))
    create_table("web_sessions",
                    sa.Column("token_hash", sa.String(64), primary_key=True),
                    sa.Column("kind", sa.String(16), nullable=False),
                    sa.Column("created_at", sa.Float, nullable=False),
                    sa.Column("expires_at", sa.Float, nullable=False, index=True),
                    sa.Column("used_at", sa.Float),
                    sa.Column("actor", sa.String(200), nullable=False),
                    sa.Column("actor_hash", sa.String(64), nullable=False),
                    sa.Column("csrf", sa.String(64)))


def downgrade() -> None:
    op.drop_table("web_sessions")
    op.drop_column("examples", "actor")
