"""fidelity: structured text, fuzzy status dates, labels, entry sub-items, frozen editions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

- ``projects.description`` / ``remark`` hold structured text as JSON (core.richtext); the
  plain text already stored is read into that structure.
- ``projects.status_since`` becomes a fuzzy date ("Juni 2022" stays a month); stored days
  keep their value in the fuzzy date's storage form (``2022-10-01``).
- ``projects.labels``: section headings a project prints instead of the standard ones.
- ``project_entries.items``: sub-items of a milestone.
- ``editions.frozen``: the edition as published or imported, rendered from for good.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.richtext import RichText

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("labels", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("more_sections", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("status_since_fuzzy", sa.String(length=160), nullable=True))
    with op.batch_alter_table("project_entries") as batch:
        batch.add_column(sa.Column("items", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("printed", sa.Text(), nullable=True))
    with op.batch_alter_table("editions") as batch:
        batch.add_column(sa.Column("frozen", sa.JSON(), nullable=True))

    conn = op.get_bind()
    projects = sa.table(
        "projects",
        sa.column("id", sa.Integer()),
        sa.column("description", sa.Text()),
        sa.column("remark", sa.Text()),
        sa.column("status_since", sa.Date()),
        sa.column("status_since_fuzzy", sa.String()),
    )
    rows = conn.execute(
        sa.select(projects.c.id, projects.c.description, projects.c.remark, projects.c.status_since)
    ).all()
    for pid, description, remark, since in rows:
        conn.execute(
            projects.update()
            .where(projects.c.id == pid)
            .values(
                description=RichText.from_json(description).to_json(),
                remark=RichText.from_json(remark).to_json(),
                status_since_fuzzy=None if since is None else str(since)[:10],
            )
        )
    with op.batch_alter_table("projects") as batch:
        batch.drop_column("status_since")
        batch.alter_column("status_since_fuzzy", new_column_name="status_since")


def downgrade() -> None:
    raise NotImplementedError("0003 is not reversible: fuzzy status dates have no day form")
