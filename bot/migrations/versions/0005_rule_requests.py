"""Schema 5: a labelled example names the document it concerns (a new rule is asked of that document's owner)."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from guidebot.bot.migrations import add_column

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_column("examples", sa.Column("document", sa.String(200)))


def downgrade() -> None:
    op.drop_column("examples", "document")
