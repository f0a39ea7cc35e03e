"""The edition text parser, read against the two real editions in ../shared/seeds.

The expected values below were written by reading the seed texts, not by copying the
parser's output.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from core.importer.parse import parse_edition
from core.importer.parse_lines import Kind, Line, is_page_number, mark_noise, split_lines
from core.importer.parse_tables import normalize_department, split_departments
from core.importer.parse_text import join_lines, reflow
from core.importer.parsed import ParsedDated, ParsedEdition, ParsedProject
from core.status import Status

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
TEXT_2025 = SEEDS / "nachhaltigkeitsreport-2025-04-01.txt"
TEXT_2023 = SEEDS / "nachhaltigkeitsreport-2023-10-01.txt"

U, B, P, ID = Status.UMGESETZT, Status.IN_BEARBEITUNG, Status.IN_PLANUNG, Status.IDEENSPEICHER


@pytest.fixture(scope="module")
def edition_2025() -> ParsedEdition:
    return parse_edition(TEXT_2025.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def edition_2023() -> ParsedEdition:
    return parse_edition(TEXT_2023.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def projects_2025(edition_2025: ParsedEdition) -> dict[str, ParsedProject]:
    return {p.number: p for p in edition_2025.projects()}


@pytest.fixture(scope="module")
def projects_2023(edition_2023: ParsedEdition) -> dict[str, ParsedProject]:
    return {p.number: p for p in edition_2023.projects()}


def _dated(items: Sequence[ParsedDated]) -> list[tuple[str | None, str]]:
    return [(i.date_text, i.text) for i in items]


# -- 2025: counts ------------------------------------------------------------------------------


def test_the_2025_edition_has_six_fields_with_their_mixed_case_titles(
    edition_2025: ParsedEdition,
) -> None:
    assert [(f.number, f.title) for f in edition_2025.fields] == [
        (1, "Klima/Energie/Umwelt"),
        (2, "Gesellschaft/soziale Gerechtigkeit/Gesundheit"),
        (3, "Wirtschaft/Beschäftigung/Bildung"),
        (4, "Konsum und globale Verantwortung"),
        (5, "Mobilität"),
        (6, "Digitalisierung/Smart Country"),
    ]


def test_the_2025_edition_has_33_goals(edition_2025: ParsedEdition) -> None:
    goals = [g.number for f in edition_2025.fields for g in f.goals]
    assert len(goals) == 33
    assert goals[:4] == ["1.1", "1.2", "1.3", "1.4"]
    assert "2.8" in goals  # printed as "2.8 Strategisches Ziel" without its number
    assert "4.4" not in goals


def test_the_2025_edition_has_98_projects_by_status(edition_2025: ParsedEdition) -> None:
    counts = Counter(p.status for p in edition_2025.projects())
    assert len(edition_2025.projects()) == 98
    assert counts == {U: 5, B: 59, P: 16, ID: 18}


def test_every_2025_project_got_its_project_list_row(edition_2025: ParsedEdition) -> None:
    projects = edition_2025.projects()
    assert all(p.departments for p in projects)
    assert all(p.short_title for p in projects)


def test_the_2025_archive_has_20_implemented_and_5_dropped_projects(
    edition_2025: ParsedEdition,
) -> None:
    assert len(edition_2025.archive_implemented) == 20
    assert len(edition_2025.archive_dropped) == 5


def test_nothing_is_left_unplaced_in_the_2025_edition(edition_2025: ParsedEdition) -> None:
    assert edition_2025.unplaced == []


def test_the_2025_cutoff_follows_from_the_empty_group_placeholder(
    edition_2025: ParsedEdition,
) -> None:
    assert edition_2025.cutoff == date(2025, 4, 1)
    assert edition_2025.has_milestones


# -- 2025: a hand-checked sample ---------------------------------------------------------------

# number, title, status, status_since_text, departments,
# counts of milestones_done, planning_steps, consultations, milestones_planned
SAMPLE_2025: list[tuple[str, str, Status, str, list[str], tuple[int, int, int, int]]] = [
    ("1.1.1.1", "Energieberatung für kreiseigene Gebäude", U, "24.09.2024", ["65"], (3, 0, 3, 0)),
    ("1.1.2.1", "Klimaschutzkonzept 2.0", B, "01.10.2022", ["80.01"], (5, 0, 4, 2)),
    (
        "1.1.3.1",
        "energetische Maßstäbe für kreiseigene Gebäude",
        P,
        "01.10.2022",
        ["65", "80.01"],
        (0, 1, 0, 0),
    ),
    (
        "1.1.4.3",
        "Ressourceneinsparung in Unternehmen",
        ID,
        "01.10.2023",
        ["80.01", "wfg"],
        (0, 0, 0, 0),
    ),
    ("1.2.2.1", "Wasserstoffallianz Kreis Soest", B, "01.10.2023", ["80.01", "wfg"], (11, 0, 1, 2)),
    (
        "1.3.3.1",
        "Ausbau Sensibilisierung Schulen Kreis Soest",
        P,
        "01.04.2025",
        ["80.01"],
        (0, 2, 0, 0),
    ),
    ("1.4.1.1", "Insektenschutz", U, "01.04.2025", ["70.02"], (4, 0, 0, 0)),
    ("1.4.2.7", "neues Abfallwirtschaftskonzept", B, "01.04.2024", ["70.03"], (2, 0, 2, 3)),
    (
        "1.4.2.8",
        "Wald als Wasserspeicher (Schwammwald)",
        B,
        "01.04.2024",
        ["70.01", "70.02"],
        (5, 0, 3, 0),
    ),
    ("2.1.1.1", "App ElternStart!", U, "01.10.2024", ["51"], (2, 0, 1, 0)),
    ("2.1.1.2", "Lotsendienst für Eltern", U, "01.10.2024", ["51"], (3, 0, 0, 0)),
    ("2.1.2.1", "Ausbau der Präventionsketten", B, "01.10.2022", ["51.00"], (10, 0, 1, 1)),
    (
        "2.3.2.1",
        "Neustart der AG „Zukunft der Pflege“ im Kreis Soest sowie Einrichtung einer "
        "Koordinierungsstelle Pflege zwecks Vernetzung der Akteure und zur Bündelung und "
        "Aufbereitung der Themen",
        B,
        "01.10.2023",
        ["95"],
        (21, 0, 1, 0),
    ),
    (
        "2.5.2.2",
        "Maßnahmen für schwerbehinderte arbeitslose Menschen",
        B,
        "01.04.2023",
        ["50", "53"],
        (4, 0, 0, 0),
    ),
    (
        "2.6.3.1",
        "Informationskampagne zur Förderung des sozialen Wohnungsbaus",
        P,
        "01.10.2024",
        ["61"],
        (0, 1, 0, 1),
    ),
    (
        "2.8.1.1",
        "Schutz und Stärkung der psychischen Gesundheit von Mitarbeiterinnen und Mitarbeitern",
        U,
        "01.04.2025",
        ["18"],
        (3, 0, 0, 0),
    ),
    (
        "3.1.2.4",
        "Förderung der Fachkräftegewinnung und -bindung",
        B,
        "01.01.2024",
        ["wfg"],
        (3, 0, 0, 0),
    ),
    ("3.2.2.3", "Leseförderung", B, "01.10.2022", ["40"], (8, 0, 2, 0)),
    (
        "3.3.4.1",
        "Datenbank für Unterrichtsbesuche zu Nachhaltigkeitsthemen",
        ID,
        "01.10.2022",
        ["61"],
        (0, 0, 0, 0),
    ),
    (
        "4.1.4.2",
        "nachhaltigeres Kantinenessen",
        ID,
        "01.10.2022",
        ["Kantinenausschuss"],
        (0, 0, 0, 0),
    ),
    (
        "4.2.4.2",
        "digitale Information zu regionalem, nachhaltigem Konsum",
        ID,
        "01.04.2025",
        ["61", "80"],
        (0, 1, 0, 0),
    ),
    (
        "4.3.2.2",
        "Digitale Naturerlebnis-Informationen (Projekt „SMART Wood“)",
        B,
        "01.07.2024",
        ["81"],
        (0, 6, 1, 0),
    ),
    (
        "4.3.3.1",
        "Informationen zu nachhaltigem Tourismus",
        P,
        "01.10.2022",
        ["81"],
        (0, 1, 0, 0),
    ),
    ("5.1.2.1", "klimaneutrale Antriebe bei der RLG", B, "01.10.2022", ["80.02"], (5, 0, 0, 2)),
    (
        "5.3.2.2",
        "Ausrollen des Busverkehrs auf Bestellung",
        B,
        "01.10.2022",
        ["80.02"],
        (4, 0, 0, 2),
    ),
    ("5.5.3.1", "Autonomes Fahren", P, "01.10.2023", ["80"], (0, 4, 0, 0)),
    (
        "5.7.2.3",
        "Einführung eines Fahrradmietsystems im Kreis Soest",
        B,
        "01.06.2022",
        ["80.02"],
        (7, 0, 2, 0),
    ),
    (
        "5.8.2.2",
        "Ausbau von straßenbegleitenden Radwegen an Kreisstraßen",
        B,
        "01.10.2022",
        ["66"],
        (8, 0, 0, 0),
    ),
    ("5.8.3.1", "Radwegeplanung an Kreisstraßen", P, "01.10.2022", ["66"], (0, 0, 0, 0)),
    (
        "5.9.4.1",
        "Innovationen im Luftverkehr",
        ID,
        "01.10.2022",
        ["Dez. 06", "wfg", "PAD"],
        (0, 0, 0, 0),
    ),
    ("6.1.2.2", "Smart Country-Steuerungsmodell", B, "01.04.2023", ["80"], (4, 0, 0, 3)),
    (
        "6.1.2.3",
        "Vernetzung und Koordinierung der Smart City/Smart Country-, Leader-Aktivitäten",
        B,
        "01.04.2023",
        ["80"],
        (2, 0, 0, 0),
    ),
    ("6.2.2.1", "App-Baukasten", B, "01.10.2022", ["80"], (7, 0, 0, 1)),
    (
        "6.5.3.1",
        "regionale Datenplattform für Pandemie- und Flüchtlingsdaten",
        P,
        "01.04.2023",
        ["10", "80"],
        (0, 6, 0, 0),
    ),
    (
        "6.6.2.1",
        "Digitale Angebote im für alle nutzbaren Bedienkomfort",
        B,
        "01.10.2022",
        ["80"],
        (1, 0, 0, 0),
    ),
    (
        "6.6.4.1",
        "Unterstützung eines Modells von Digitalpaten",
        ID,
        "01.10.2022",
        ["80"],
        (0, 0, 0, 0),
    ),
]


def test_the_hand_checked_sample_covers_all_fields_and_statuses() -> None:
    assert {number[0] for number, *_ in SAMPLE_2025} == set("123456")
    assert {status for _, _, status, *_ in SAMPLE_2025} == {U, B, P, ID}
    assert len(SAMPLE_2025) >= 20


@pytest.mark.parametrize(
    ("number", "title", "status", "since", "departments", "counts"),
    SAMPLE_2025,
    ids=[row[0] for row in SAMPLE_2025],
)
def test_a_sampled_2025_project_reads_as_printed(
    projects_2025: dict[str, ParsedProject],
    number: str,
    title: str,
    status: Status,
    since: str,
    departments: list[str],
    counts: tuple[int, int, int, int],
) -> None:
    project = projects_2025[number]
    assert project.title == title
    assert project.status is status
    assert project.status_since_text == since
    assert project.departments == departments
    assert (
        len(project.milestones_done),
        len(project.planning_steps),
        len(project.consultations),
        len(project.milestones_planned),
    ) == counts


# -- 2025: full content ------------------------------------------------------------------------


def test_energieberatung_has_three_dated_milestones(
    projects_2025: dict[str, ParsedProject],
) -> None:
    assert _dated(projects_2025["1.1.1.1"].milestones_done) == [
        ("2022", "Ausschreibung der Energieberatung"),
        ("31.12.2023", "Abschluss der Bestandsaufnahme an den Gebäuden"),
        (
            "24.09.2024",
            "Bericht zu den Ergebnissen der Gebäudesteckbriefe im Ausschuss für Bau-, "
            "Straßenwesen und Immobilien",
        ),
    ]


def test_energieberatung_has_three_consultations_with_gremium_kind_and_number(
    projects_2025: dict[str, ParsedProject],
) -> None:
    consultations = projects_2025["1.1.1.1"].consultations
    assert [(c.date_text, c.gremium, c.vorlagenart, c.nummer, c.note) for c in consultations] == [
        (
            "11.05.2022",
            "Ausschuss für Bau-, Straßenwesen und Immobilien",
            "Beschlussvorlage",
            "077/2022",
            None,
        ),
        ("09.06.2022", "Kreisausschuss", "Beschlussvorlage", "077/2022", None),
        ("24.09.2024", "Ausschuss für Bau-, Straßenwesen und Immobilien", "Bericht", None, None),
    ]
    assert [c.line for c in consultations] == [280, 281, 282]


def test_klimaschutzkonzept_plans_an_april_and_a_may_milestone(
    projects_2025: dict[str, ParsedProject],
) -> None:
    project = projects_2025["1.1.2.1"]
    assert _dated(project.milestones_planned) == [
        ("April 2025", "Abschluss der IST-Analyse im EEA"),
        (
            "20.05.2025",
            "Vorstellung des Ergebnisses der IST-Analyse im Ausschuss für Energie und Klimaschutz",
        ),
    ]
    assert project.remark == ""
    assert project.consultations[2].vorlagenart == "mündlicher Bericht"


def test_a_status_line_with_two_dates_gives_project_start_and_status_date(
    projects_2025: dict[str, ParsedProject],
) -> None:
    elternstart = projects_2025["2.1.1.1"]  # "seit: 07.06.2024/ 01.10.2024" (line 1182)
    lotsendienst = projects_2025["2.1.1.2"]  # "seit: 2020/01.10.2024" (line 1212)
    assert (elternstart.project_start_text, elternstart.status_since_text) == (
        "07.06.2024",
        "01.10.2024",
    )
    assert (lotsendienst.project_start_text, lotsendienst.status_since_text) == (
        "2020",
        "01.10.2024",
    )
    fachkraefte = projects_2025["3.1.2.4"]  # "seit: 2010 und 01.01.2024"
    assert (fachkraefte.project_start_text, fachkraefte.status_since_text) == ("2010", "01.01.2024")
    psyche = projects_2025["2.8.1.1"]  # "Projektstart: 17.11.2023" / "Projektabschluss: ..."
    assert (psyche.project_start_text, psyche.status_since_text) == ("17.11.2023", "01.04.2025")


def test_date_tokens_are_kept_as_printed(projects_2025: dict[str, ParsedProject]) -> None:
    def dates(number: str) -> list[str | None]:
        p = projects_2025[number]
        return [d.date_text for d in p.milestones_done + p.planning_steps]

    assert dates("2.1.1.1") == ["07.06.2024", "seit Sommer 2024"]
    assert dates("2.2.2.1") == ["3. Qu. 2023", "seit 4. Qu. 2023", "Juni 2024", "seit 09/2024"]
    assert dates("2.5.2.2")[2] == "01.09.2023 – 29.02.2024"
    assert dates("5.3.2.2")[3] == "16.06.2024 und 14.10.2024"
    assert dates("5.5.2.1")[-2:] == ["08/09.2024", "April 2025"]
    assert dates("1.3.3.1") == ["11. 2024", "09.2025"]
    assert dates("1.4.2.6") == ["fortlaufend"]
    assert dates("6.1.2.3") == ["2022", "1 x jährlich"]
    assert dates("6.6.2.1") == [None]
    assert dates("5.1.2.1")[-1] == "2.Hj. 2024"


def test_continuation_lines_join_their_entry(projects_2025: dict[str, ParsedProject]) -> None:
    vogelschutz = projects_2025["1.4.2.1"].milestones_done
    assert len(vogelschutz) == 2
    assert "Die Zielsetzung der Weihen-Brutpaare für das Jahr 2025 wurden 2023 erreicht." in (
        vogelschutz[0].text
    )
    elternstart = projects_2025["2.1.1.1"].milestones_done[1]
    assert elternstart.text == (
        "Erfolgreicher Einsatz der ElternStartApp bei Willkommensbesuchen des Kreisjugendamtes"
    )
    open_data = projects_2025["6.4.2.2"].milestones_done[3]
    assert open_data.text.endswith("Der Projektabschluss ist für das Frühjahr 2025 geplant.")


def test_a_planned_heading_over_two_lines_is_kept_whole_as_the_projects_heading(
    projects_2025: dict[str, ParsedProject],
) -> None:
    project = projects_2025["5.3.2.2"]
    assert project.remark == ""
    assert project.labels["milestones_planned"] == (
        "geplante Meilensteine, Bestandteil des neuen Nahverkehrsplans (KT-Beschluss im Juli 2025):"
    )
    assert [d.date_text for d in project.milestones_planned] == ["2025", "2026"]


def test_a_singular_planned_heading_holds_one_milestone_and_the_paragraph_below_is_the_remark(
    projects_2025: dict[str, ParsedProject],
) -> None:
    # "geplanter Meilenstein:", then a dated entry and, after a blank line, one more sentence:
    # that sentence is the remark, printed below the milestone
    block = projects_2025["2.1.2.1"]
    (planned,) = block.milestones_planned
    assert planned.date_text == "2025 - 2027"
    assert planned.text.startswith("Leitbild in die Praxis umsetzen (Projektkommune)")
    assert planned.text.endswith("Kommunen des Kreisjugendamtes Soest")
    assert block.remark == (
        "Es finden regelmäßige Treffen mit der Steuerungs- und Planungsgruppe statt."
    )
    assert block.remark_after_planned


def test_undated_planned_milestones_are_one_per_line(
    projects_2025: dict[str, ParsedProject],
) -> None:
    assert _dated(projects_2025["1.4.2.7"].milestones_planned) == [
        (None, "Finale Abstimmung mit INFA"),
        (None, "Beteiligung der kreisangehörigen Kommunen und der Bezirksregierung Arnsberg"),
        (None, "Beschluss durch den Kreistag"),
    ]
    steuerung = projects_2025["6.1.2.2"]
    assert steuerung.remark == "Umsetzungszeitraum des Smart Country-Steuerungsmodells bis 2030"
    assert [d.text for d in steuerung.milestones_planned] == [
        "gutachterliche Betrachtung des kreisweiten Einsatzes von LoraWAN",
        "Entwicklung einer Pegel-App",
        "Identifikation unterstützender Krisenmaßnahmen",
    ]
    rlg = projects_2025["5.1.2.1"].milestones_planned
    assert rlg[1].text == (
        "Verankerung der Ziele für alle Linienbündel im Rahmen der laufenden Neuaufstellung "
        "des Nahverkehrsplans, KT-Beschluss im Juli 2025"
    )


def test_consultations_with_notes_and_commas_in_the_gremium(
    projects_2025: dict[str, ParsedProject],
) -> None:
    bildung = projects_2025["3.2.2.1"].consultations[0]
    assert bildung.gremium == "Ausschuss für Bildung, Integration, Schule u. Sport"
    assert bildung.vorlagenart is None
    assert bildung.note == (
        "Allgemeine Informationen über Projekte und Maßnahmen der Bildungsregion, u. a. über "
        "Pfiffikus+"
    )
    leitbild = projects_2025["2.1.2.1"].consultations[0]
    assert (leitbild.gremium, leitbild.vorlagenart, leitbild.nummer) == (
        "Jugendhilfeausschuss",
        "Beschlussvorlage",
        "249/2024",
    )
    assert leitbild.note == "Verabschiedung des Leitbildes und Bericht über das weitere Vorgehen"
    schwammwald = projects_2025["1.4.2.8"].consultations
    assert [(c.gremium, c.vorlagenart, c.nummer) for c in schwammwald] == [
        ("Naturschutzbeirat", "Informationsvorlage", "272/2023"),
        ("Ausschuss für Umwelt und Landwirtschaft", "Antrag", "095/2024"),
        ("Naturschutzbeirat", None, None),
    ]
    quote = projects_2025["2.6.2.1"].consultations[0]
    assert (quote.gremium, quote.nummer) == ("Kreistag", "084/2023")
    assert quote.note is not None
    assert quote.note.startswith("„Die Kreisverwaltung wird beauftragt")
    assert "\n- Wohnungsmarktbeobachtung\n" in quote.note
    fahrrad = projects_2025["5.7.2.3"].consultations[1]
    assert fahrrad.nummer == "111/2022-1"


def test_the_2025_vorlagenarten(edition_2025: ParsedEdition) -> None:
    kinds = {c.vorlagenart for p in edition_2025.projects() for c in p.consultations}
    assert kinds == {
        "Beschlussvorlage",
        "Informationsvorlage",
        "mündlicher Bericht",
        "Bericht",
        "Antrag",
        "Vorlage",
        "Information",
        None,
    }
    assert sum(len(p.consultations) for p in edition_2025.projects()) == 29


def test_wrapped_project_list_rows_are_read(projects_2025: dict[str, ParsedProject]) -> None:
    pflege = projects_2025["2.3.2.1"]
    assert pflege.short_title == (
        "Neustart der AG „Zukunft der Pflege“ im Kreis Soest sowie Einrichtung einer "
        "Koordinierungsstelle"
    )
    assert (pflege.municipalities, pflege.departments) == (None, ["95"])
    luftverkehr = projects_2025["5.9.4.1"]
    assert (luftverkehr.short_title, luftverkehr.municipalities) == (
        "Innovationen im Luftverkehr",
        None,
    )
    assert luftverkehr.departments == ["Dez. 06", "wfg", "PAD"]
    assert projects_2025["4.1.4.2"].departments == ["Kantinenausschuss"]
    lorawan = projects_2025["1.3.2.4"]  # printed "70.01.,80.01"
    assert lorawan.short_title == "Aufbau LoraWan Sensorik – Pilotprojekt Hattrop"
    assert lorawan.departments == ["70.01", "80.01"]
    assert projects_2025["3.1.2.4"].short_title == "Förderung der Fachkräftegewinnung und -bindung"


def test_municipalities_are_separated_from_the_departments(
    projects_2025: dict[str, ParsedProject],
) -> None:
    assert projects_2025["1.1.2.1"].municipalities == (
        "Klimawerkstätten in allen 14 Städten und Gemeinden"
    )
    assert projects_2025["1.2.3.1"].municipalities == "Interkommunaler Austausch"
    assert projects_2025["3.2.2.2"].municipalities == "für Schüler der Klassen 7 - 13"
    assert projects_2025["3.2.2.2"].departments == ["wfg"]
    assert projects_2025["5.8.2.3"].municipalities == "Welver, Wickede"
    assert projects_2025["5.8.2.2"].municipalities is not None
    assert projects_2025["5.8.2.2"].municipalities.endswith(
        "(Welver und Wickede beteiligen sich wahrscheinlich noch nachträglich)"
    )
    assert projects_2025["1.1.4.2"].municipalities is None


def test_a_lone_department_code_is_not_taken_for_a_page_number(
    projects_2025: dict[str, ParsedProject],
) -> None:
    # "51" stands alone on line 4895, after the row's municipalities
    assert projects_2025["2.1.1.2"].departments == ["51"]
    assert projects_2025["5.8.2.2"].departments == ["66"]
    # the page number "97" (line 5080) follows the complete row 5.7.2.3
    fahrrad = projects_2025["5.7.2.3"]
    assert fahrrad.departments == ["80.02"]
    assert fahrrad.municipalities == "Anröchte, Bad Sassendorf, Ense, Lippetal, Lippstadt, Soest"


def test_the_archive_rows_of_2025(edition_2025: ParsedEdition) -> None:
    first = edition_2025.archive_implemented[0]
    assert (first.field_title, first.title, first.report_text, first.number) == (
        "Klima/Energie/Umwelt",
        "10 Jahre Klimaschutzmanagement",
        "01.10.2022",
        "1.1.1 + 1.2.1",
    )
    pflege = edition_2025.archive_implemented[9]
    assert (pflege.field_title, pflege.title, pflege.report_text, pflege.number) == (
        "Gesellschaft/soziale Gerechtigkeit/Gesundheit",
        "Arbeitsgruppe „Pflege im Kreis Soest“",
        "01.10.2023",
        "2.3.1.1",
    )
    assert pflege.line == 5202
    assert edition_2025.archive_implemented[-1].title == (
        "Sensibilisierung von Auszubildenden für Behinderungen"
    )


def test_the_dropped_projects_with_their_reasons(edition_2025: ParsedEdition) -> None:
    rows = [
        (d.field_title, d.title, d.reason, d.last_mention_text)
        for d in edition_2025.archive_dropped
    ]
    assert rows == [
        (
            "Klima/Energie/Umwelt",
            "Moore als Treibhausgasspeicher",
            "ersetzt durch Projekt „Schwammwald“",
            "01.10.2023",
        ),
        (
            "Wirtschaft/Beschäftigung/Bildung",
            "Nachhaltiges Wirtschaften",
            "Daueraufgabe",
            "01.10.2023",
        ),
        (
            "Digitalisierung",
            "Gamification",
            "Mehrfachnennung: Klima-Allianz, Klimaschutzbürger, DorfApps",
            "01.10.2023",
        ),
        (
            "Konsum und globale Verantwortung",
            "Regionale Wertschöpfungsketten",
            "derzeit in der Region nicht etablierbar",
            "01.04.2024",
        ),
        (
            "Konsum und globale Verantwortung",
            "regionale Marken",
            "mangelndes Interesse der Beteiligten",
            "01.04.2024",
        ),
    ]


# -- 2025: Einleitung, overviews, goals, text -------------------------------------------------


def test_the_intro_is_reflowed_into_paragraphs(edition_2025: ParsedEdition) -> None:
    intro = edition_2025.intro
    assert intro.startswith("Der Nachhaltigkeitsreport für den Kreis Soest liefert klare")
    assert "\n\nHintergrund\n\n" in intro
    assert "nach umfangreichen Bürger- und Akteurs-Konsultationen neu gefasst." in intro
    assert "- Energie/Klima/Umwelt\n- Gesellschaft/soziale Gerechtigkeit/Gesundheit\n" in intro
    # the closing sentence is the template's standard wording, not data
    assert intro.endswith("um die Zielerreichung zu gewährleisten.")
    assert "In den folgenden sechs Kapiteln" not in intro
    assert "Klimaallianz" not in intro  # that is field 1's overview


def test_the_overviews_belong_to_their_fields(edition_2025: ParsedEdition) -> None:
    fields = edition_2025.fields
    assert fields[0].overview.startswith("Der Kreis Soest wird bis 2030 erhebliche Teile")
    assert fields[0].overview.count("\n\n") == 1
    assert "in allen Bereichen - im Fokus zu behalten und weiterzuentwickeln." in (
        fields[1].overview
    )
    assert "Jugendliche frühzeitig für MINT-Themen zu begeistern" in fields[2].overview
    assert "naturwissenschaftlich-technischen Bereich" in fields[2].overview
    assert "aktionsplan" not in fields[2].overview  # the footnote URL is page noise
    assert fields[5].overview.endswith("Hochwasser- und Starkregenereignisse, erreicht.")
    assert "In den folgenden" not in fields[5].overview


def test_goal_texts_are_joined_across_lines(edition_2025: ParsedEdition) -> None:
    goals = {g.number: g for f in edition_2025.fields for g in f.goals}
    assert goals["1.2"].text == "Der Anteil der erneuerbaren Energien soll erhöht werden."
    assert goals["2.1"].text == (
        "Kinder und Jugendliche werden in einer lückenlosen kommunalen Präventionskette betreut."
    )
    assert goals["2.8"].text == (
        "Der Kreis Soest setzt sich als Arbeitgeber für sichere und gesunde Arbeit ein."
    )
    assert len(goals["2.8"].projects) == 2  # its groups 3 and 4 are misprinted as "2.7.3/4"


def test_descriptions_survive_page_breaks_and_keep_list_items(
    projects_2025: dict[str, ParsedProject],
) -> None:
    radwege = projects_2025["5.8.3.1"].description.split("\n")
    assert radwege[:2] == [
        "1. Radweg an der K 5 von Ruploh nach Deiringsen",
        "- Ausschreibung ist in Vorbereitung",
    ]
    assert "5. Radweg an der K18 zwischen Budberg und der B63" in radwege
    vogelschutz = projects_2025["1.4.2.1"].description
    assert vogelschutz.endswith("Maßnahmen für weitere bedrohte Arten geschaffen.")
    kantine = projects_2025["1.1.4.1"].description
    assert "ergänzt das Aufgabenfeld um den Neubau" in kantine
    assert "„Nachnutzung von Gebraucht-Immobilien“" in kantine


def test_remarks_hold_urls_but_not_page_footnotes(projects_2025: dict[str, ParsedProject]) -> None:
    assert projects_2025["3.1.2.2"].remark == "https://www.wfg-kreis-soest.de/cefire/"
    assert projects_2025["3.1.2.3"].remark == (
        "https://www.wfg-kreis-soest.de/digitalisierung-der-produktionsprozesse/"
    )


# -- 2023 -------------------------------------------------------------------------------------


def test_the_2023_edition_counts(edition_2023: ParsedEdition) -> None:
    projects = edition_2023.projects()
    assert edition_2023.cutoff == date(2023, 10, 1)
    assert not edition_2023.has_milestones
    assert len(edition_2023.fields) == 6
    assert len([g for f in edition_2023.fields for g in f.goals]) == 33
    assert len(projects) == 99
    assert Counter(p.status for p in projects) == {U: 6, B: 48, P: 25, ID: 20}
    assert len(edition_2023.archive_implemented) == 9
    assert edition_2023.archive_dropped == []
    assert edition_2023.unplaced == []


def test_the_2023_edition_has_no_dated_lists(edition_2023: ParsedEdition) -> None:
    for p in edition_2023.projects():
        lists = p.milestones_done + p.planning_steps + p.milestones_planned
        assert (lists, p.consultations, p.status_since_text) == ([], [], None)


def test_the_2023_sachstand_becomes_the_remark(projects_2023: dict[str, ParsedProject]) -> None:
    assert projects_2023["1.1.1.1"].remark == (
        "Die App „Klimaallianz Kreis Soest“ wurde präsentiert und steht in den App-Stores zur "
        "Verfügung."
    )
    assert projects_2023["6.6.4.1"].remark == "Das Projekt befindet sich im Ideenstadium."
    assert projects_2023["4.4.3.2"].remark.endswith(
        "waren für Mai 2023 angesetzt. Diese Gespräche hatten leider bisher nicht das gewünschte "
        "Interesse bewirken können und das Projekt pausiert daher zunächst."
    )
    assert projects_2023["2.4.2.2"].remark.startswith("Podcast\n\nAls zusätzliche Hilfestellung")


def test_the_2023_legend_inside_a_paragraph_is_dropped(
    projects_2023: dict[str, ParsedProject],
) -> None:
    assert "kommunalscharfe Daten und Szenarien besprochen, auf dessen Grundlage" in (
        projects_2023["1.1.2.1"].description
    )
    assert "in Kooperation mit der Fachhochschule Südwestfalen und dem Bildungsträger" in (
        projects_2023["3.2.2.1"].description
    )
    assert "Ideenspeicher" not in projects_2023["2.1.2.1"].description


def test_the_glued_2023_goal_line_is_split(edition_2023: ParsedEdition) -> None:
    goal = next(g for f in edition_2023.fields for g in f.goals if g.number == "5.6")
    assert goal.text == "Kooperationen in Wohn- und Gewerbegebieten"
    assert goal.line == 1386
    assert [p.number for p in goal.projects] == ["5.6.3.1"]
    glued_project = next(
        p for f in edition_2023.fields for g in f.goals for p in g.projects if p.number == "2.4.1.1"
    )
    assert glued_project.title == "Sensibilisierung von Auszubildenden für Behinderungen"
    assert glued_project.status is U


def test_the_tab_separated_2023_lists_join_even_with_stale_numbers(
    edition_2023: ParsedEdition, projects_2023: dict[str, ParsedProject]
) -> None:
    assert all(p.short_title for p in edition_2023.projects())
    assert projects_2023["1.1.1.1"].municipalities == "Multiplikative Einbindung"
    assert projects_2023["1.1.1.1"].departments == []
    assert projects_2023["4.1.4.1"].departments == ["Kantinenausschuss"]
    assert projects_2023["5.7.4.2"].departments == ["80.02", "Dez. 06"]
    # the list prints 4.1.3.1 / 4.1.3.2 / 4.1.3.2 / 5.3.2.2 / 5.8.4.2 for these
    assert projects_2023["4.1.2.1"].short_title == "nachhaltige Beschaffung in der Verwaltung"
    assert projects_2023["4.1.3.1"].short_title == "nachhaltiges Veranstaltungsmanagement"
    assert projects_2023["4.1.3.3"].short_title == 'Zertifikat "Fair Trade Kreis Soest"'
    assert projects_2023["5.3.3.1"].municipalities == "Anröchte, Bad Sassendorf, Erwitte"
    assert projects_2023["5.8.4.1"].departments == ["66"]


def test_a_2023_project_counts_where_it_is_printed(projects_2023: dict[str, ParsedProject]) -> None:
    # 6.4.3.1 is printed inside the group "6.4.2 Projekte in Bearbeitung"
    assert projects_2023["6.4.3.1"].status is B


def test_the_2023_archive_is_tab_separated(edition_2023: ParsedEdition) -> None:
    last = edition_2023.archive_implemented[-1]
    assert (last.field_title, last.title, last.report_text, last.number) == (
        "Digitalisierung/Smart Country",
        "Dienstleistungen nach dem Onlinezugangsgesetz (OZG)",
        "01.04.2023",
        "6.2.1.1",
    )


# -- behaviour ---------------------------------------------------------------------------------


def test_a_given_cutoff_wins_and_a_missing_one_is_an_error() -> None:
    text = TEXT_2025.read_text(encoding="utf-8")
    assert parse_edition(text, cutoff=date(2030, 1, 1)).cutoff == date(2030, 1, 1)
    with pytest.raises(ValueError, match="cutoff"):
        parse_edition("Einleitung und Übersicht\n\nEin Satz.\n")


def test_hyphenation_at_line_ends_is_repaired() -> None:
    assert join_lines("weiterzu-", "entwickeln.") == "weiterzuentwickeln."
    assert join_lines("Aufgaben- ", "feld um") == "Aufgabenfeld um"
    assert join_lines("ämter-", "und dezernatsübergreifend") == "ämter- und dezernatsübergreifend"
    assert join_lines("MINT-", "Themen") == "MINT-Themen"
    assert join_lines("CO2-", "reduzierte") == "CO2-reduzierte"
    assert join_lines("naturwissenschaftlich-", "technischen") == (
        "naturwissenschaftlich-technischen"
    )
    assert join_lines("Klimaschutz und -", "anpassung") == "Klimaschutz und -anpassung"
    assert join_lines("Fachkräftegewinnung und", "-bindung") == "Fachkräftegewinnung und -bindung"


def test_reflow_joins_wrapped_lines_and_separates_paragraphs() -> None:
    lines = [
        Line(1, "Die Teilhabe von Menschen ", Kind.TEXT),
        Line(2, "", Kind.EMPTY),
        Line(3, "mit Behinderungen weiterzu-", Kind.TEXT),
        Line(4, "entwickeln. ", Kind.TEXT),
        Line(5, " ", Kind.SPACE),
        Line(6, "- erster Punkt", Kind.TEXT),
        Line(7, "- zweiter Punkt", Kind.TEXT),
    ]
    assert reflow(lines, wrapped=True) == (
        "Die Teilhabe von Menschen mit Behinderungen weiterzuentwickeln.\n\n"
        "- erster Punkt\n- zweiter Punkt"
    )


def test_page_numbers_only_increase_so_a_smaller_lone_number_is_a_department() -> None:
    assert is_page_number(97, last_page=87)
    assert not is_page_number(51, last_page=87)  # "51" below the last page: a department
    assert not is_page_number(2024, last_page=87)  # a year is not the next page


def test_a_lone_number_after_a_row_without_departments_is_its_department() -> None:
    text = "\n".join(
        [
            "Einleitung und Übersicht",
            "1. Klima/Energie/Umwelt",
            "Überblick.",
            " 1. KLIMA/ENERGIE/UMWELT ",
            "1.1 Strategisches Ziel 1",
            "Ein Ziel.",
            "1.1.2 Projekte in Bearbeitung",
            "1.1.2.1 Erstes Projekt",
            "Projektstart/im Status „in Bearbeitung“ seit: 01.10.2022",
            "1.1.2.2 Zweites Projekt",
            "Projektstart/im Status „in Bearbeitung“ seit: 01.10.2022",
            "",
            "3",
            "",
            " Projektliste „Klima/Energie/Umwelt“",
            "Projekt Projektstatus",
            "1.1.2.1 Erstes Projekt   x  ",
            "Städte Arnsberg, Soest",
            "",
            "80",  # above the last page number, yet the row still lacks its department
            "",
            "1.1.2.2 Zweites Projekt   x   65",
            "",
            "4",  # the next page number
            " Archiv",
        ]
    )
    edition = parse_edition(text, cutoff=date(2025, 4, 1))
    first, second = edition.projects()
    assert (first.municipalities, first.departments) == ("Städte Arnsberg, Soest", ["80"])
    assert second.departments == ["65"]
    assert edition.unplaced == []


def test_the_four_line_legend_is_noise_but_its_words_alone_are_not() -> None:
    text = "\n".join(
        [
            "Szenarien",
            "",
            "umgesetzt (innerhalb des letzten halben Jahres)",
            "",
            "in Bearbeitung",
            "",
            "in Planung",
            "",
            "Ideenspeicher",
            "",
            "besprochen",
            "in Planung",
        ]
    )
    lines, _ = mark_noise(split_lines(text))
    noise = [line.no for line in lines if line.kind is Kind.NOISE]
    assert noise == [3, 5, 7, 9]


def test_department_codes_are_normalised() -> None:
    assert split_departments("Anröchte, Bad Sassendorf, Erwitte  80.02") == (
        "Anröchte, Bad Sassendorf, Erwitte",
        ["80.02"],
    )
    assert split_departments("70.01.,80.01") == ("", ["70.01", "80.01"])
    assert split_departments("Dez. 06, wfg, PAD") == ("", ["Dez. 06", "wfg", "PAD"])
    assert normalize_department("Dez.06") == "Dez. 06"
    assert normalize_department("Kantinen-ausschuss") == "Kantinenausschuss"


def test_unattributable_lines_are_reported_with_their_line_numbers() -> None:
    text = "\n".join(
        [
            "Einleitung und Übersicht",
            "1. Klima/Energie/Umwelt",
            "Überblick.",
            "1. KLIMA/ENERGIE/UMWELT",
            "Ein verirrter Satz vor dem ersten Ziel.",
            "1.1 Strategisches Ziel 1",
            "Ein Ziel.",
            "1.1.2 Projekte in Bearbeitung",
            "1.1.2.1 Ein Projekt",
            "Projektstart/im Status „in Bearbeitung“ seit: 01.10.2022",
            "Projektliste „Klima/Energie/Umwelt“",
            "Projekt Projektstatus",
            "1.1.2.9 Kein solches Projekt   x   65",
        ]
    )
    edition = parse_edition(text, cutoff=date(2025, 4, 1))
    assert [(u.line, u.text) for u in edition.unplaced] == [
        (5, "Ein verirrter Satz vor dem ersten Ziel."),
        (9, "1.1.2.1 Ein Projekt (no row in the project list)"),
        (13, "1.1.2.9 Kein solches Projekt x 65"),
    ]


# -- what departments wrote, as they wrote it ------------------------------------------------


def test_a_milestone_with_bullet_lines_keeps_them_as_sub_items(
    projects_2025: dict[str, ParsedProject],
) -> None:
    april = next(d for d in projects_2025["3.2.2.3"].milestones_done if d.date_text == "April 2024")
    assert april.text == "Start der Fortsetzung des Modellprojektes durch die FH Südwestfalen"
    assert [i.split()[0] for i in april.items] == [
        "Aktualisierung",
        "Relaunch",
        "Durchführung",
        "Planung",
        "Beteiligung",
    ]


def test_a_milestone_ending_with_a_colon_lists_what_follows(
    projects_2025: dict[str, ParsedProject],
) -> None:
    entries = projects_2025["5.8.2.2"].milestones_done
    programme = next(d for d in entries if d.text == "Aufnahme in Bauprogramm 2025:")
    assert programme.items == [
        "K43 Sanierung Radweg zwischen Soest und Bad Sassendorf",
        "K46 Neubau Radweg Teilstück zwischen Norddorf und Overhagen (Antrag Erwitte)",
    ]


def test_a_long_wrapped_milestone_stays_one_text(projects_2025: dict[str, ParsedProject]) -> None:
    assert all(not d.items for d in projects_2025["1.4.2.1"].milestones_done)


def test_headings_are_kept_as_printed(projects_2025: dict[str, ParsedProject]) -> None:
    assert projects_2025["5.8.3.1"].labels["description"] == (
        "Projektbeschreibung und Planungsstand 01.04.2024:"
    )
    assert projects_2025["2.7.2.1"].labels["remark"] == (
        "Bemerkung (z. B. Link zu Ergebnisbericht):"
    )
    assert projects_2025["2.6.3.1"].labels["milestones_planned"] == "geplante Schritte:"
    assert projects_2025["4.2.4.2"].labels["status_note"] == "(vorher in Planung)"


def test_a_status_date_keeps_the_precision_it_was_printed_with(
    projects_2025: dict[str, ParsedProject],
) -> None:
    assert projects_2025["2.7.2.1"].status_since_text == "Juni 2022"


def test_the_older_format_keeps_each_road_with_its_sachstand(
    projects_2023: dict[str, ParsedProject],
) -> None:
    project = projects_2023["5.8.3.1"]
    assert project.description == "Radweg an der K 5 von Ruploh nach Deiringsen"
    assert project.more_sections[:2] == [
        ("Projektbeschreibung:", "Radweg an der K 51 in Geseke"),
        (
            "Sachstand:",
            "Der Zuwendungsbescheid wird erwartet. Ausschreibung in 2023 / Umsetzung Anfang 2024",
        ),
    ]
