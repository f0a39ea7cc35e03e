"""``nhr contacts``: what it refuses leaves the database as it was (SQLite and PostgreSQL).

Links are valid 1 to 90 days; a person is invited once (names match whatever the case and
spacing) and a name several people share is answered with the list to choose from.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from support.bot_seed import add_contact, seed_small_report
from support.guarded import State, cli_database, run_nhr

from core.db import make_session_factory
from core.models import Contact, Invitation

__all__ = ["cli_database"]


@pytest.fixture
def database(cli_database: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The small report's departments and Anna Abt (80.01); no bot token (no Bot API call)."""
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with make_session_factory(cli_database).begin() as session:
        seed_small_report(session)
        add_contact(session, "Anna Abt", ["80.01"])
    return cli_database


@pytest.mark.parametrize("days", ["0", "-5", "91", "99999999", "zwei", ""])
def test_a_link_valid_for_less_than_one_or_more_than_ninety_days_is_refused(
    database: Engine, days: str
) -> None:
    before = State.of(database)

    invited = run_nhr(
        "contacts", "invite", "--name", "Ben Berg", "--department", "70.02", "--days", days
    )
    renewed = run_nhr("contacts", "reinvite", "Anna Abt", f"--days={days}")

    for run in (invited, renewed):
        assert run.code == 2
        assert f"„{days}“ geht nicht: Ein Link gilt 1 bis 90 Tage." in run.err
        assert run.out == ""
    assert State.of(database) == before


@pytest.mark.parametrize("days", ["1", "90"])
def test_one_and_ninety_days_are_accepted(database: Engine, days: str) -> None:
    run = run_nhr(
        "contacts", "invite", "--name", "Ben Berg", "--department", "70.02", "--days", days
    )

    assert run.code == 0
    assert "https://t.me/" in run.out


def test_inviting_a_person_again_is_refused_and_points_to_reinvite(database: Engine) -> None:
    before = State.of(database)

    run = run_nhr("contacts", "invite", "--name", "  anna   ABT", "--department", "61")

    assert run.code == 2
    with make_session_factory(database)() as session:
        anna = session.scalars(select(Contact.id).where(Contact.name == "Anna Abt")).one()
    assert run.err.splitlines() == [
        f"Es gibt bereits eine Person „Anna Abt“ (Nr. {anna}).",
        f"Einen neuen Link für diese Person erzeugt: nhr contacts reinvite {anna}",
    ]
    assert State.of(database) == before


@pytest.mark.parametrize("command", ["reinvite", "revoke"])
def test_a_name_two_people_share_lists_both_and_changes_nothing(
    database: Engine, command: str
) -> None:
    with make_session_factory(database).begin() as session:
        twin = add_contact(session, "anna  abt", ["61", "70.02"]).id  # from before the rule
    before = State.of(database)

    run = run_nhr("contacts", command, "ANNA ABT")

    assert run.code == 2
    assert run.err.splitlines() == [
        "Mehrere Personen heißen „ANNA ABT“. Bitte geben Sie die Nr. an:",
        f"  Nr. {twin - 1}: Anna Abt (80.01)",
        f"  Nr. {twin}: anna  abt (61, 70.02)",
    ]
    assert State.of(database) == before


def test_reinvite_by_a_differently_written_name_closes_the_earlier_link(database: Engine) -> None:
    first = run_nhr("contacts", "invite", "--name", "Ben Berg", "--department", "70.02")
    second = run_nhr("contacts", "reinvite", "ben berg", "--days", "3")

    assert (first.code, second.code) == (0, 0)
    assert "Einladung für Ben Berg" in second.out
    with make_session_factory(database)() as session:
        links = session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert [link.used_at is None for link in links] == [False, True]
