"""Schema 3: several documents in one knowledge version, and escalated questions that can be answered."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from guidebot.bot.migrations import add_column, create_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_column("knowledge_versions", sa.Column("documents", sa.Text))
    create_table("escalations",
                    sa.Column("ref", sa.String(300), primary_key=True),
                    sa.Column("created_at", sa.Float, nullable=False),
                    sa.Column("answer_id", sa.String(32)),
                    sa.Column("asker", sa.JSON, nullable=False),
                    sa.Column("question", sa.Text),
                    sa.Column("lang", sa.String(8), nullable=False),
                    sa.Column("reply", sa.Text),
                    sa.Column("replied_at", sa.Float))


def downgrade() -> None:
    op.drop_table("escalations")
    op.drop_column("knowledge_versions", "documents")
