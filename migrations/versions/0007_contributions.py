"""contributions: which department handed in (or confirmed) a shared project's submission

Revision ID: 0007_contributions
Revises: 0006_editions
Create Date: 2026-12-06

- ``submission_contributions``: one row per department's hand-in ("changes", "no_changes") or
  confirmation of another department's report ("confirmed"), with who (id and name as it was)
  and when. Progress counts a shared project as handed in only for the departments listed.
- ``submissions.last_editor_id``: who changed the draft last.

Backfill: every submitted or approved submission gets one contribution per responsible
department of its contact (all of the project's departments when the contact reports for none
of them, e.g. a coordinator, or is gone) at its hand-in time, so existing progress is unchanged;
its last editor is its contact.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_contributions"
down_revision: str | None = "0006_editions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "changes",
                "no_changes",
                "confirmed",
                name="contribution_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_submission_contributions_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_submission_contributions_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_submission_contributions_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_contributions")),
    )
    with op.batch_alter_table("submission_contributions") as batch:
        for column in ("submission_id", "contact_id", "department_id"):
            batch.create_index(
                batch.f(f"ix_submission_contributions_{column}"), [column], unique=False
            )
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("last_editor_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_submissions_last_editor_id_contacts"),
            "contacts",
            ["last_editor_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _backfill()


def _backfill() -> None:
    """Contributions for the submissions handed in before this revision (see the docstring)."""
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE submissions SET last_editor_id = contact_id"))
    handed_in = conn.execute(
        sa.text(
            "SELECT s.id, s.project_id, s.contact_id, COALESCE(c.name, ''),"
            " COALESCE(s.submitted_at, s.updated_at), s.changes"
            " FROM submissions s LEFT JOIN contacts c ON c.id = s.contact_id"
            " WHERE s.state IN ('submitted', 'approved') ORDER BY s.id"
        )
    ).all()
    if not handed_in:
        return
    project_departments: dict[int, list[int]] = {}
    for project_id, department_id in conn.execute(
        sa.text(
            "SELECT project_id, department_id FROM project_departments"
            " ORDER BY project_id, position, department_id"
        )
    ):
        project_departments.setdefault(project_id, []).append(department_id)
    contact_departments: dict[int, set[int]] = {}
    for contact_id, department_id in conn.execute(
        sa.text("SELECT contact_id, department_id FROM contact_departments")
    ):
        contact_departments.setdefault(contact_id, set()).add(department_id)
    rows = []
    for sub_id, project_id, contact_id, name, at, changes in handed_in:
        responsible = project_departments.get(project_id, [])
        own = contact_departments.get(contact_id, set()) if contact_id is not None else set()
        departments = [d for d in responsible if d in own] or responsible
        kind = "no_changes" if _is_no_changes(changes) else "changes"
        rows += [
            {
                "submission_id": sub_id,
                "contact_id": contact_id,
                "contact_name": name,
                "department_id": department_id,
                "kind": kind,
                "at": at,
            }
            for department_id in departments
        ]
    if rows:
        conn.execute(
            sa.text(
                "INSERT INTO submission_contributions"
                " (submission_id, contact_id, contact_name, department_id, kind, at)"
                " VALUES (:submission_id, :contact_id, :contact_name, :department_id, :kind, :at)"
            ),
            rows,
        )


def _is_no_changes(changes: object) -> bool:
    """Whether a stored change set (JSON text on SQLite, a dict on PostgreSQL) says
    "Keine Änderungen" and changes nothing (as :attr:`core.changes.ChangeSet.is_empty`)."""
    import json

    data = json.loads(changes) if isinstance(changes, str) else changes
    if not isinstance(data, dict):
        return False
    keys = (
        "status",
        "milestones_done",
        "planning_steps",
        "completed_planned",
        "consultations",
        "milestones_planned",
    )
    empty = not any(data.get(k) for k in keys) and all(
        data.get(k) is None for k in ("remark", "description")
    )
    return empty and bool(data.get("no_changes"))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_constraint(batch.f("fk_submissions_last_editor_id_contacts"), type_="foreignkey")
        batch.drop_column("last_editor_id")
    op.drop_table("submission_contributions")
