"""bot safety: the update ids the bot has handled lately (repeat deliveries)

Revision ID: 0005_bot_safety
Revises: 0004_ops_run
Create Date: 2026-12-06

``seen_updates`` replaces "an update id at or below the last one is a repeat": after a week
without updates Telegram picks the next id at random, so ids are no order.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_bot_safety"
down_revision: str | None = "0004_ops_run"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_seen_updates")),
    )


def downgrade() -> None:
    op.drop_table("seen_updates")
