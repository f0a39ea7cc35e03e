"""editions: the coordinator's choice of the edition being collected

Revision ID: 0006_editions
Revises: 0005_bot_safety
Create Date: 2026-12-06

- ``editions.collecting_chosen``: the coordinator chose this edition as the one being collected
  (``nhr edition collect``); without a choice it is the edition after the last published one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_editions"
down_revision: str | None = "0005_bot_safety"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("editions") as batch:
        batch.add_column(
            sa.Column("collecting_chosen", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("editions") as batch:
        batch.drop_column("collecting_chosen")
