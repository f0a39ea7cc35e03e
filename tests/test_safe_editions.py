"""Editions cannot be published, shown or collected by mistake (issue 16, parts 2, 3 and 6).

Every case runs ``nhr`` as the console script runs it, on SQLite and PostgreSQL, against the
demo edition (01.04.2025, published). A refused command leaves every table and the published
editions' HTML as they were, prints one German line and no traceback, and exits with 2.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from support.guarded import State, run_nhr
from support.snapshots import import_demo

from core.clock import FakeClock
from core.db import make_session_factory
from core.editions import collecting_cutoff, collecting_edition
from core.frozen import edition_view
from core.models import Edition, EditionState, Project
from core.notifications import cutoffs_to_plan
from core.schedule import ScheduleConfig

APRIL_2025 = date(2025, 4, 1)
OCTOBER_2025 = date(2025, 10, 1)
APRIL_2027 = date(2027, 4, 1)
SUMMER_2025 = datetime(2025, 6, 16, 8, tzinfo=UTC)  # collecting 01.10.2025, as the clock says
WINTER_2026 = datetime(2026, 12, 7, 9, tzinfo=UTC)  # two cutoffs after 01.10.2025

OVERDUE = (
    "Hinweis: Die Ausgabe zum 01.10.2025 ist noch nicht veröffentlicht; seither sind 2 "
    "Stichtage vergangen. Veröffentlichen Sie sie (nhr edition publish --edition 2025-10-01) "
    "oder wählen Sie die Ausgabe in Arbeit (nhr edition collect --edition 2027-04-01)."
)

Clock = Callable[[datetime], None]


@pytest.fixture
def demo(cli_database: Engine, db_snapshot: Callable[..., None]) -> Engine:
    """The demo edition in the database the ``nhr`` commands use."""
    db_snapshot("demo", import_demo)
    return cli_database


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """``on(moment)``: every ``nhr`` command's clock stands at ``moment``."""
    import nhr.clock

    def set_clock(moment: datetime) -> None:
        monkeypatch.setattr(nhr.clock, "CLOCK", FakeClock(moment))

    return set_clock


def refused(engine: Engine, *argv: str, code: int = 2) -> str:
    """Run ``nhr ARGV``; it must exit with ``code`` and change nothing. Returns its output."""
    return all_refused(engine, [argv], code=code)[0]


def all_refused(engine: Engine, commands: list[tuple[str, ...]], *, code: int = 2) -> list[str]:
    """Run each ``nhr`` command; each must exit with ``code``, and together they must change
    nothing (one checksum before and after: rendering the published HTML takes a while).
    Returns their outputs."""
    before = State.of(engine)
    outputs = []
    for argv in commands:
        run = run_nhr(*argv)
        assert run.code == code, (argv, run.output)
        outputs.append(run.output)
    after = State.of(engine)
    assert before.changed_tables(after) == []
    assert after.html == before.html
    return outputs


def collecting(engine: Engine, today: date) -> date:
    with make_session_factory(engine)() as session:
        return collecting_cutoff(session, today)


# -- publishing ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_publishing_an_edition_other_than_the_one_being_collected_is_refused(
    demo: Engine, on: Clock
) -> None:
    on(SUMMER_2025)
    cases = {
        "2019-04-01": "Die Ausgabe zum 01.04.2019 liegt vor der zuletzt veröffentlichten Ausgabe "
        "zum 01.04.2025; in Arbeit ist die Ausgabe zum 01.10.2025.",
        "2030-04-01": "Eine Ausgabe zum 01.04.2030 gibt es nicht; in Arbeit ist die Ausgabe zum "
        "01.10.2025.",
        "2025-04-01": "Die Ausgabe zum 01.04.2025 ist bereits veröffentlicht.",
        "2024-10-01": "Die Ausgabe zum 01.10.2024 ist nur aus dem Archiv bekannt und kann nicht "
        "veröffentlicht werden.",
    }
    outputs = all_refused(demo, [("edition", "publish", "--edition", e) for e in cases])
    assert [o.strip() for o in outputs] == list(cases.values())


@pytest.mark.slow
def test_publishing_a_day_that_is_no_cutoff_is_a_usage_error(demo: Engine, on: Clock) -> None:
    on(SUMMER_2025)
    outputs = all_refused(
        demo,
        [
            ("edition", "publish", "--edition", "2025-04-02"),
            ("edition", "publish", "--edition", "2025-13-01"),
        ],
    )
    assert "2025-04-02 ist kein Stichtag. Stichtage sind der 01.04. und der 01.10." in outputs[0]
    assert "„2025-13-01“ ist kein Datum. Bitte JJJJ-MM-TT angeben, z. B. 2025-04-01." in outputs[1]


@pytest.mark.slow
def test_publishing_the_edition_being_collected_moves_the_collection_on(
    demo: Engine, on: Clock
) -> None:
    on(datetime(2025, 10, 6, 9, tzinfo=UTC))
    before = State.of(demo)
    dry = run_nhr("edition", "publish", "--edition", "2025-10-01", "--dry-run")
    assert (dry.code, dry.out.strip()) == (
        0,
        "Probelauf: Die Ausgabe Stand 01.10.2025 lässt sich erstellen (HTML, PDF, DOCX); "
        "veröffentlicht würden 93 Projekte mit festen Nummern. Nichts geändert.",
    )
    assert before.changed_tables(State.of(demo)) == []
    run = run_nhr("edition", "publish", "--edition", "2025-10-01")
    assert (run.code, run.out.strip()) == (
        0,
        "Ausgabe Stand 01.10.2025 veröffentlicht: 93 Projekte, Nummern festgeschrieben.",
    )
    listing = run_nhr("edition", "list").out.splitlines()
    assert "01.10.2025  veröffentlicht   06.10.2025, 11:00        93          0" in listing
    assert (
        "01.04.2026  in Arbeit        –                        93          0  ← wird gesammelt"
        in listing
    )
    assert collecting(demo, date(2025, 10, 6)) == date(2026, 4, 1)


@pytest.mark.slow
def test_an_edition_that_does_not_render_is_not_published(demo: Engine, on: Clock) -> None:
    # A manual line break pasted from Word (vertical tab), stored before input was cleaned:
    # python-docx refuses it, so the DOCX of this edition cannot be written.
    with make_session_factory(demo).begin() as session:
        session.execute(
            update(Project)
            .where(Project.title == "Klimaschutzkonzept 2.0")
            .values(title="Klimaschutzkonzept\x0b2.0")
        )
    on(datetime(2025, 10, 6, 9, tzinfo=UTC))
    output = refused(demo, "edition", "publish", "--edition", "2025-10-01", code=1)
    assert output.startswith(
        "Die Ausgabe zum 01.10.2025 lässt sich nicht als DOCX erstellen (All strings must be "
        "XML compatible"
    )
    assert output.rstrip().endswith(
        "nichts veröffentlicht. Bitte korrigieren Sie die Angaben und veröffentlichen Sie dann "
        "erneut."
    )
    with make_session_factory(demo)() as session:
        state = session.scalar(select(Edition.state).where(Edition.cutoff == OCTOBER_2025))
    assert state is not EditionState.PUBLISHED


# -- the edition being collected ----------------------------------------------------------------


def test_the_edition_being_collected_is_the_one_after_the_last_published(demo: Engine) -> None:
    assert collecting(demo, date(2025, 6, 16)) == OCTOBER_2025  # as the clock said before
    assert collecting(demo, date(2025, 10, 2)) == OCTOBER_2025  # until it is published
    assert collecting(demo, date(2026, 12, 7)) == OCTOBER_2025  # not 01.04.2027


def test_after_a_gap_every_command_names_the_overdue_edition(demo: Engine, on: Clock) -> None:
    on(WINTER_2026)
    listing = run_nhr("edition", "list")
    assert listing.code == 0
    assert listing.out.splitlines()[-3:] == [
        "01.10.2025  in Arbeit        –                        93          0  ← wird gesammelt",
        "Ausgabe in Arbeit: 01.10.2025 (die nächste nach der zuletzt veröffentlichten vom "
        "01.04.2025).",
        "Projekte: gedruckte (in Arbeit: nach heutigem Stand); Meldungen: alle Meldungen der "
        "Abteilungen zu dieser Ausgabe.",
    ]
    assert listing.err.strip() == OVERDUE
    schedule = run_nhr("schedule")
    assert schedule.code == 0
    assert schedule.out.startswith("Ausgabe Stand 01.10.2025 – Frist für die Abteilungen:")
    assert schedule.err.strip() == OVERDUE
    projects = run_nhr("project", "list")
    assert projects.out.startswith("Ausgabe Stand 01.10.2025: 93 Projekte")
    assert projects.err.strip() == OVERDUE


def test_the_scheduler_plans_the_edition_being_collected(demo: Engine) -> None:
    with make_session_factory(demo)() as session:
        assert cutoffs_to_plan(session, WINTER_2026, ScheduleConfig()) == (OCTOBER_2025,)


@pytest.mark.slow
def test_edition_collect_chooses_the_edition_everything_collects_for(
    demo: Engine, on: Clock
) -> None:
    on(WINTER_2026)
    dry = refused(demo, "edition", "collect", "--edition", "2027-04-01", "--dry-run", code=0)
    assert dry.strip() == (
        "Probelauf: Ausgabe in Arbeit würde die Ausgabe zum 01.04.2027 (bisher 01.10.2025). "
        "Nichts geändert."
    )
    run = run_nhr("edition", "collect", "--edition", "2027-04-01")
    assert (run.code, run.out.strip()) == (
        0,
        (
            "Ausgabe in Arbeit ist jetzt die Ausgabe zum 01.04.2027 (bisher 01.10.2025). Bot und "
            "Zeitplan sammeln ab sofort für sie."
        ),
    )
    listing = run_nhr("edition", "list")
    assert (
        "01.04.2027  in Arbeit        –                        93          0  ← wird gesammelt"
        in listing.out.splitlines()
    )
    assert "Ausgabe in Arbeit: 01.04.2027 (von der Koordination gewählt)." in listing.out
    assert listing.err == ""  # nothing overdue any more
    assert run_nhr("schedule").out.startswith("Ausgabe Stand 01.04.2027 – Frist")
    assert run_nhr("project", "list").out.startswith("Ausgabe Stand 01.04.2027: 93 Projekte")
    with make_session_factory(demo).begin() as session:
        assert collecting_edition(session, WINTER_2026.date()).cutoff == APRIL_2027  # the bot
        assert cutoffs_to_plan(session, WINTER_2026, ScheduleConfig()) == (APRIL_2027,)
    again = refused(demo, "edition", "collect", "--edition", "2027-04-01", code=0)
    assert again.strip() == "Die Ausgabe zum 01.04.2027 ist bereits in Arbeit. Nichts geändert."


@pytest.mark.slow
def test_choosing_the_edition_already_being_collected_changes_nothing(
    demo: Engine, on: Clock
) -> None:
    on(SUMMER_2025)
    output = refused(demo, "edition", "collect", "--edition", "2025-10-01", code=0)
    assert output.strip() == "Die Ausgabe zum 01.10.2025 ist bereits in Arbeit. Nichts geändert."


@pytest.mark.slow
def test_edition_collect_refuses_a_published_past_or_far_edition(demo: Engine, on: Clock) -> None:
    on(WINTER_2026)
    cases = {
        "2025-04-01": "Die Ausgabe zum 01.04.2025 kann nicht mehr gesammelt werden: zuletzt "
        "veröffentlicht ist die Ausgabe zum 01.04.2025. Bitte einen späteren "
        "Stichtag wählen.",
        "2023-10-01": "Die Ausgabe zum 01.10.2023 kann nicht mehr gesammelt werden: zuletzt "
        "veröffentlicht ist die Ausgabe zum 01.04.2025. Bitte einen späteren "
        "Stichtag wählen.",
        "2030-04-01": "Die Ausgabe zum 01.04.2030 liegt zu weit in der Zukunft; der nächste "
        "Stichtag ist der 01.04.2027.",
        "2027-05-01": "2027-05-01 ist kein Stichtag. Stichtage sind der 01.04. und der 01.10.",
    }
    outputs = all_refused(demo, [("edition", "collect", "--edition", e) for e in cases])
    for output, message in zip(outputs, cases.values(), strict=True):
        assert message in output


def test_edition_list_shows_every_edition_with_state_dates_and_counts(
    demo: Engine, on: Clock
) -> None:
    on(SUMMER_2025)
    run = run_nhr("edition", "list")
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        "Stichtag    Stand            veröffentlicht am  Projekte  Meldungen",
        "01.10.2022  nur Archiv       –                         –          0",
        "01.04.2023  nur Archiv       –                         –          0",
        "01.10.2023  nur Archiv       –                         –          0",
        "01.04.2024  nur Archiv       –                         –          0",
        "01.10.2024  nur Archiv       –                         –          0",
        "01.04.2025  veröffentlicht   importiert               98          0",
        "01.10.2025  in Arbeit        –                        93          0  ← wird gesammelt",
        "Ausgabe in Arbeit: 01.10.2025 (die nächste nach der zuletzt veröffentlichten vom "
        "01.04.2025).",
        "Projekte: gedruckte (in Arbeit: nach heutigem Stand); Meldungen: alle Meldungen der "
        "Abteilungen zu dieser Ausgabe.",
    ]


# -- render and export --------------------------------------------------------------------------


def test_a_plain_render_shows_the_newest_published_edition_and_draft_the_collected_one(
    demo: Engine, on: Clock, tmp_path: Path
) -> None:
    on(SUMMER_2025)
    run = run_nhr("render", "--format", "html", "--out", str(tmp_path), "--quiet")
    assert (run.code, run.out.strip()) == (
        0,
        f"geschrieben: {tmp_path / 'nachhaltigkeitsreport-2025-04-01.html'}",
    )
    draft = run_nhr("render", "--draft", "--format", "html", "--out", str(tmp_path), "--quiet")
    assert (draft.code, draft.out.strip()) == (
        0,
        f"geschrieben: {tmp_path / 'nachhaltigkeitsreport-2025-10-01-entwurf.html'}",
    )


@pytest.mark.slow
def test_site_draft_writes_the_edition_being_collected(
    demo: Engine, on: Clock, tmp_path: Path
) -> None:
    on(SUMMER_2025)
    run = run_nhr("site", "--draft", "--no-documents", "--out", str(tmp_path / "web"))
    assert run.code == 0, run.output
    downloads = sorted(
        p.name for p in (tmp_path / "web" / "ausgaben" / "2025-10-01" / "downloads").iterdir()
    )
    assert "nachhaltigkeitsreport-2025-10-01-entwurf.csv" in downloads


def test_a_draft_export_says_it_is_a_draft_on_every_row(demo: Engine, on: Clock) -> None:
    on(SUMMER_2025)
    published = list(
        csv.DictReader(io.StringIO(run_nhr("export", "--format", "csv").out), delimiter=";")
    )
    assert len(published) == 98
    assert {(r["edition"], r["edition_state"]) for r in published} == {
        ("2025-04-01", "veröffentlicht")
    }
    draft = list(
        csv.DictReader(
            io.StringIO(run_nhr("export", "--format", "csv", "--draft").out), delimiter=";"
        )
    )
    assert {(r["edition"], r["edition_state"]) for r in draft} == {("2025-10-01", "entwurf")}
    as_json = json.loads(run_nhr("export", "--draft").out)
    assert as_json["edition"] == {
        "cutoff": "2025-10-01",
        "previous_cutoff": "2025-04-01",
        "draft": True,
    }


@pytest.mark.slow
def test_render_export_site_and_schedule_refuse_an_edition_they_may_not_show(
    demo: Engine, on: Clock, tmp_path: Path
) -> None:
    on(SUMMER_2025)
    out = ("--out", str(tmp_path / "out"))
    cases = {
        (
            "render",
            "--edition",
            "2025-10-01",
            *out,
        ): "Die Ausgabe zum 01.10.2025 ist noch nicht veröffentlicht. Mit --draft wird sie als "
        "Entwurf erstellt.",
        ("export", "--edition", "2019-04-01", *out): "Eine Ausgabe zum 01.04.2019 gibt es nicht.",
        (
            "export",
            "--edition",
            "2022-10-01",
            *out,
        ): "Die Ausgabe zum 01.10.2022 ist nur aus dem Archiv bekannt; sie lässt sich nicht "
        "erstellen.",
        (
            "render",
            "--edition",
            "2025-13-01",
            *out,
        ): "„2025-13-01“ ist kein Datum. Bitte JJJJ-MM-TT angeben, z. B. 2025-04-01.",
        (
            "export",
            "--edition",
            "2025-04-02",
            *out,
        ): "2025-04-02 ist kein Stichtag. Stichtage sind der 01.04. und der 01.10.",
        (
            "site",
            "--edition",
            "2025-13-01",
            *out,
        ): "„2025-13-01“ ist kein Datum. Bitte JJJJ-MM-TT angeben, z. B. 2025-04-01.",
        (
            "schedule",
            "--edition",
            "2025-04-02",
        ): "2025-04-02 ist kein Stichtag. Stichtage sind der 01.04. und der 01.10.",
    }
    outputs = all_refused(demo, list(cases))
    for output, message in zip(outputs, cases.values(), strict=True):
        assert message in output
    assert not (tmp_path / "out").exists()


def test_without_a_published_edition_a_plain_render_points_to_draft(
    cli_database: Engine, tmp_path: Path
) -> None:
    run_nhr("db", "upgrade")
    output = refused(cli_database, "render", "--out", str(tmp_path / "out"))
    assert output.strip() == (
        "Noch keine Ausgabe veröffentlicht. Mit --draft erstellen Sie die Ausgabe in Arbeit "
        "als Entwurf."
    )
    assert not (tmp_path / "out").exists()


# -- project keep -------------------------------------------------------------------------------


@pytest.mark.slow
def test_project_keep_refuses_a_project_already_in_a_published_archive(
    demo: Engine, on: Clock
) -> None:
    with make_session_factory(demo)() as session:
        archived = edition_view(session, APRIL_2025).archive_implemented[0].title
        project_id = session.scalar(select(Project.id).where(Project.title == archived))
    on(SUMMER_2025)
    output = refused(demo, "project", "keep", str(project_id))
    assert output.strip() == (
        f"Das Projekt „{archived}“ steht schon im Archiv der Ausgabe zum 01.04.2025 und kommt "
        "nicht zurück in den Report."
    )
