"""Notifications in the database: planned once under deterministic keys, claimed once, marked.

Runs on SQLite and PostgreSQL (the ``backend`` fixture).
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_scheduler_world import answer, local, projects_of, small_report

from core.audit import Auditor
from core.db import unit_of_work
from core.editions import publish_edition
from core.models import Contact, Notification
from core.notifications import (
    EXPIRED,
    LEASE,
    MAX_ATTEMPTS,
    PUBLISHED,
    Kind,
    claim_due,
    mark_failed,
    mark_sent,
    mark_unreachable,
    overview,
    plan_notifications,
    release,
)
from core.schedule import ScheduleConfig

CUTOFF = date(2026, 4, 1)
CONFIG = ScheduleConfig()
WINDOW = local(2026, 2, 18)  # prompts
R1, R2, R3 = local(2026, 2, 25), local(2026, 3, 11), local(2026, 3, 16)
ESCALATION, DRAFT = local(2026, 3, 19), local(2026, 4, 1)


@pytest.fixture
def ids(session: Session) -> dict[str, int]:
    """The small report, committed."""
    result = small_report(session)
    session.commit()
    return result


def keys(session: Session) -> list[str]:
    return sorted(session.scalars(select(Notification.key)))


def send_all(session: Session, now_: object) -> list[str]:
    """Claim everything due and mark it sent, as a sender would; returns the keys."""
    from datetime import datetime

    assert isinstance(now_, datetime)
    claimed = claim_due(session, now_)
    for message in claimed:
        mark_sent(session, message.id, now_)
    session.commit()
    return sorted(m.key for m in claimed)


def test_nothing_is_planned_before_the_window_opens(session: Session, ids: dict[str, int]) -> None:
    assert plan_notifications(session, CUTOFF, WINDOW - timedelta(minutes=1), CONFIG) == []
    assert keys(session) == []


def test_prompts_go_to_reachable_contacts_whose_departments_have_projects(
    session: Session, ids: dict[str, int]
) -> None:
    created = plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    session.commit()
    assert sorted(created) == sorted(
        f"prompt:2026-04-01:contact:{ids[n]}"
        for n in ("Anna Albers", "Bernd Brandt", "Clara Conrad")
    )
    prompt = session.scalar(
        select(Notification).where(Notification.contact_id == ids["Anna Albers"])
    )
    assert prompt is not None and prompt.kind == Kind.PROMPT and prompt.due_at == WINDOW
    assert prompt.payload["departments"] == [{"code": "80.01", "projects": 3, "outstanding": 3}]
    assert prompt.payload["deadline"] == "2026-03-18"


def test_planning_twice_creates_nothing_new(session: Session, ids: dict[str, int]) -> None:
    first = plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    session.commit()
    assert plan_notifications(session, CUTOFF, WINDOW + timedelta(hours=1), CONFIG) == []
    session.commit()
    assert len(keys(session)) == len(first) == 3


def test_reminders_only_go_to_contacts_with_open_projects(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    send_all(session, WINDOW)
    answer(session, ids["Anna Albers"], CUTOFF, projects_of(session, "80.01"), WINDOW)
    answer(session, ids["Bernd Brandt"], CUTOFF, projects_of(session, "61")[:1], WINDOW)
    session.commit()
    created = plan_notifications(session, CUTOFF, R1, CONFIG)
    session.commit()
    assert sorted(created) == sorted(
        f"reminder:2026-04-01:r1:contact:{ids[n]}" for n in ("Bernd Brandt", "Clara Conrad")
    )
    bernd = session.scalar(select(Notification).where(Notification.key == created[0]))
    assert bernd is not None
    # Bernd's project "Radwege" is shared with 80.01, which answered it; 61 has one left open.
    assert bernd.payload["departments"] == [{"code": "61", "projects": 2, "outstanding": 1}]


def test_after_a_long_downtime_only_the_latest_reminder_goes_out(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    send_all(session, WINDOW)
    # Down from before r1 until after r2: r1 is not worth sending any more.
    created = plan_notifications(session, CUTOFF, R2 + timedelta(days=1), CONFIG)
    assert {k.split(":")[2] for k in created} == {"r2"}


def test_a_prompt_that_goes_out_weeks_late_replaces_the_reminders_due_before_it(
    session: Session, ids: dict[str, int]
) -> None:
    late = R1 + timedelta(days=2)
    assert len(plan_notifications(session, CUTOFF, late, CONFIG)) == 3  # prompts only
    assert send_all(session, late) == sorted(
        f"prompt:2026-04-01:contact:{ids[n]}"
        for n in ("Anna Albers", "Bernd Brandt", "Clara Conrad")
    )
    assert plan_notifications(session, CUTOFF, late + timedelta(hours=1), CONFIG) == []
    assert len(plan_notifications(session, CUTOFF, R2, CONFIG)) == 3  # r2 reaches everyone


def test_a_contact_who_joins_during_the_window_gets_a_late_prompt(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    send_all(session, WINDOW)
    nora = session.get(Contact, ids["Nora Neu"])
    assert nora is not None
    nora.telegram_user_id = 1004
    session.commit()
    assert plan_notifications(session, CUTOFF, R2 + timedelta(hours=1), CONFIG) == [
        f"prompt:2026-04-01:contact:{ids['Nora Neu']}"
    ] + [
        f"reminder:2026-04-01:r2:contact:{ids[n]}"
        for n in ("Anna Albers", "Bernd Brandt", "Clara Conrad")
    ]


def test_the_escalation_lists_overdue_departments_for_every_coordinator(
    session: Session, ids: dict[str, int]
) -> None:
    answer(session, ids["Anna Albers"], CUTOFF, projects_of(session, "80.01"), WINDOW)
    session.commit()
    created = plan_notifications(session, CUTOFF, ESCALATION, CONFIG)
    escalations = sorted(k for k in created if k.startswith("escalation"))
    assert escalations == [
        f"escalation:2026-04-01:coordinator:{ids['Kora Koordination']}",
        f"escalation:2026-04-01:coordinator:{ids['Lars Leitung']}",
    ]
    row = session.scalar(select(Notification).where(Notification.key == escalations[0]))
    assert row is not None
    assert [d["code"] for d in row.payload["departments"]] == ["61", "70.01", "wfg"]


def test_no_escalation_when_every_department_answered(
    session: Session, ids: dict[str, int]
) -> None:
    for code, person in (
        ("80.01", "Anna Albers"),
        ("61", "Bernd Brandt"),
        ("70.01", "Clara Conrad"),
        ("wfg", "Kora Koordination"),
    ):
        answer(session, ids[person], CUTOFF, projects_of(session, code), WINDOW)
    session.commit()
    created = plan_notifications(session, CUTOFF, ESCALATION, CONFIG)
    assert not [k for k in created if k.startswith("escalation")]


def test_the_draft_is_planned_at_the_cutoff_with_what_is_missing(
    session: Session, ids: dict[str, int]
) -> None:
    answer(session, ids["Anna Albers"], CUTOFF, projects_of(session, "80.01"), WINDOW)
    session.commit()
    # On the cutoff day before the draft's time: collection is over, the draft not yet due.
    assert plan_notifications(session, CUTOFF, DRAFT - timedelta(minutes=1), CONFIG) == []
    created = plan_notifications(session, CUTOFF, DRAFT, CONFIG)
    assert sorted(created) == [
        f"draft:2026-04-01:coordinator:{ids['Kora Koordination']}",
        f"draft:2026-04-01:coordinator:{ids['Lars Leitung']}",
    ]
    row = session.scalar(select(Notification).where(Notification.key == created[0]))
    assert row is not None
    assert [d["code"] for d in row.payload["missing"]] == ["61", "70.01", "wfg"]
    assert row.payload["awaiting_approval"] == 3


def test_the_draft_is_not_sent_once_the_next_collection_window_has_opened(
    session: Session, ids: dict[str, int]
) -> None:
    next_window = local(2026, 8, 20)  # six weeks before 01.10.2026
    assert plan_notifications(session, CUTOFF, next_window - timedelta(minutes=1), CONFIG)
    session.commit()
    assert plan_notifications(session, CUTOFF, next_window, CONFIG) == []
    assert claim_due(session, next_window) == []
    assert set(session.scalars(select(Notification.last_error))) == {EXPIRED}


def test_a_published_edition_plans_and_sends_nothing_more(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, DRAFT, CONFIG)
    session.commit()
    publish_edition(session, CUTOFF, Auditor(session, actor="test", now=DRAFT), DRAFT)
    session.commit()
    assert claim_due(session, DRAFT + timedelta(minutes=1)) == []
    assert plan_notifications(session, CUTOFF, DRAFT + timedelta(days=1), CONFIG) == []
    abandoned = session.scalars(select(Notification.last_error)).all()
    assert abandoned and set(abandoned) == {PUBLISHED}


def test_a_claimed_row_is_not_claimed_again_until_its_lease_runs_out(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    session.commit()
    first = claim_due(session, WINDOW)
    session.commit()
    assert len(first) == 3 and {m.chat_id for m in first} == {1001, 1002, 1003}
    assert claim_due(session, WINDOW + LEASE - timedelta(seconds=1)) == []
    mark_sent(session, first[0].id, WINDOW)
    session.commit()
    again = claim_due(session, WINDOW + LEASE + timedelta(seconds=1))
    session.commit()
    assert sorted(m.id for m in again) == sorted(m.id for m in first[1:])


def test_a_sent_row_is_never_claimed_or_marked_again(session: Session, ids: dict[str, int]) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    sent = send_all(session, WINDOW)
    assert len(sent) == 3
    assert claim_due(session, WINDOW + timedelta(days=3)) == []
    row = session.scalars(select(Notification)).first()
    assert row is not None
    assert mark_sent(session, row.id, WINDOW + timedelta(days=3)) is False


def test_released_rows_are_claimable_at_once_without_counting_an_attempt(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    claimed = claim_due(session, WINDOW)
    release(session, [m.id for m in claimed])
    session.commit()
    assert len(claim_due(session, WINDOW)) == 3
    session.commit()
    assert set(session.scalars(select(Notification.attempts))) == {1}


def test_failed_rows_are_retried_after_the_lease_and_given_up_after_max_attempts(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    session.commit()
    now = WINDOW
    for _ in range(MAX_ATTEMPTS):
        claimed = claim_due(session, now)
        assert len(claimed) == 3
        for message in claimed:
            mark_failed(session, message.id, "NetworkError: boom")
        session.commit()
        now += LEASE + timedelta(seconds=1)
    assert claim_due(session, now) == []
    assert set(session.scalars(select(Notification.last_error))) == {"NetworkError: boom"}


def test_a_reminder_not_sent_before_the_next_one_is_due_expires(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    send_all(session, WINDOW)
    plan_notifications(session, CUTOFF, R1, CONFIG)
    session.commit()
    assert claim_due(session, R2) == []  # r1 is stale once r2 is due
    session.commit()
    stale = session.scalars(select(Notification).where(Notification.kind == "reminder")).all()
    assert {(r.attempts, r.last_error) for r in stale} == {(MAX_ATTEMPTS, EXPIRED)}


def test_a_blocked_contact_is_marked_unreachable_and_every_coordinator_told_once(
    session: Session, ids: dict[str, int]
) -> None:
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    claimed = {m.contact_id: m for m in claim_due(session, WINDOW)}
    anna = claimed[ids["Anna Albers"]]
    notices = mark_unreachable(session, anna, WINDOW, "Forbidden: bot was blocked by the user")
    session.commit()
    assert sorted(notices) == [
        f"unreachable:2026-04-01:contact:{anna.contact_id}:coordinator:{ids['Kora Koordination']}",
        f"unreachable:2026-04-01:contact:{anna.contact_id}:coordinator:{ids['Lars Leitung']}",
    ]
    contact = session.get(Contact, anna.contact_id)
    assert contact is not None and contact.reachable is False
    assert mark_unreachable(session, anna, WINDOW, "Forbidden") == []  # told once per edition
    later = claim_due(session, WINDOW + LEASE * 2)
    assert {m.kind for m in later} == {Kind.UNREACHABLE, Kind.PROMPT}
    assert anna.contact_id not in {m.contact_id for m in later}
    notice = next(m for m in later if m.kind is Kind.UNREACHABLE)
    assert notice.payload["contact_name"] == "Anna Albers"


def test_the_overview_counts_recipients_and_sent_messages(
    session: Session, ids: dict[str, int]
) -> None:
    cycle, items = overview(session, CUTOFF, CONFIG)
    assert [(i.kind.value, i.label, i.recipients, i.sent) for i in items] == [
        ("prompt", "", 3, 0),
        ("reminder", "r1", 3, 0),
        ("reminder", "r2", 3, 0),
        ("reminder", "r3", 3, 0),
        ("escalation", "", 2, 0),
        ("draft", "", 2, 0),
    ]
    plan_notifications(session, CUTOFF, WINDOW, CONFIG)
    send_all(session, WINDOW)
    answer(session, ids["Anna Albers"], CUTOFF, projects_of(session, "80.01"), WINDOW)
    session.commit()
    _, items = overview(session, CUTOFF, CONFIG)
    assert [(i.recipients, i.sent) for i in items[:2]] == [(3, 3), (2, 0)]
    assert cycle.deadline == date(2026, 3, 18)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_processes_planning_and_claiming_at_once_neither_duplicate_nor_fail(
    sessions: sessionmaker[Session], ids: dict[str, int]
) -> None:
    barrier = threading.Barrier(2, timeout=30)
    results: dict[int, tuple[list[str], list[int]]] = {}
    errors: list[BaseException] = []

    def process(n: int) -> None:
        try:
            with unit_of_work(sessions) as session:
                barrier.wait()
                created = plan_notifications(session, CUTOFF, WINDOW, CONFIG)
            with unit_of_work(sessions) as session:
                barrier.wait()
                claimed = [m.id for m in claim_due(session, WINDOW)]
            results[n] = (created, claimed)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=process, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    created = results[1][0] + results[2][0]
    claimed = results[1][1] + results[2][1]
    assert len(created) == len(set(created)) == 3
    assert len(claimed) == len(set(claimed)) == 3
