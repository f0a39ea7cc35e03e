"""Realistic report editions for the renderer tests and benchmarks (no database needed).

:func:`sample_edition` is a small edition modelled on the 01.04.2025 report: two Themenfelder,
all four statuses, an empty group, a project with two dates, planned milestones, committee
consultations, archive rows, umlauts, and a title with ``<script>`` and ``&`` to prove escaping.
:func:`synthetic_edition` makes a large edition (about 98 projects per ``scale``) for timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.fuzzydate import FuzzyDate
from core.fuzzydate_parse import parse_fuzzy_date
from core.richtext import RichText
from core.status import REPORT_ORDER, Status
from core.view import (
    ArchivedDroppedRow,
    ArchivedImplementedRow,
    AssembledEdition,
    ConsultationEntry,
    DatedEntry,
    FieldChapter,
    GoalSection,
    ProjectBlock,
    ProjectChanges,
    StatusGroup,
)

CUTOFF = date(2025, 4, 1)
PREVIOUS_CUTOFF = date(2024, 10, 1)
ARCHIVE_SINCE = date(2022, 10, 1)

#: The title that must come out escaped in every output.
HOSTILE_TITLE = "Energie-Scouts für Azubis & Schüler <script>alert('x')</script>"

INTRO = """Der Nachhaltigkeitsreport für den Kreis Soest liefert klare strategische Ziele zum \
Ausbau der Nachhaltigkeit im Kreis Soest und ein Maßnahmenprogramm mit konkreten \
Umsetzungsschritten. So dient der Report gleichermaßen als Wegweiser wie auch als Dokumentation \
der Fortschritte.

Hintergrund

Im September 2015 verabschiedete die Vollversammlung der Vereinten Nationen mit der Agenda 2030 \
das universelle Zielsystem der Globalen Nachhaltigkeitsziele, um eine weltweite Transformation in \
Richtung einer nachhaltigen Entwicklung anzustoßen.

Es kristallisierten sich daraufhin sechs Themenfelder heraus, die zur Grundlage des \
Nachhaltigkeitsreports wurden:

- Energie/Klima/Umwelt
- Gesellschaft/soziale Gerechtigkeit/Gesundheit
- Wirtschaft/Beschäftigung/Bildung

Im Herbst 2022 wurde die erste Endfassung des Nachhaltigkeitsreports im Ausschuss für \
Regionalentwicklung vorgestellt. Der Report wird zweimal im Jahr aktualisiert und jährlich \
jeweils im Herbst im Ausschuss für Regionalentwicklung vorgestellt."""


def fd(text: str) -> FuzzyDate:
    """A milestone date from its German text ("31.12.2023", "Oktober 2024", "2022")."""
    return parse_fuzzy_date(text)


def done(when: str | None, text: str, *, new: bool = False) -> DatedEntry:
    """A dated list entry; ``when=None`` is an undated entry."""
    return DatedEntry(date=fd(when) if when else None, text=text, is_new=new)


def gremium(
    when: str,
    name: str,
    vorlagenart: str | None = None,
    nummer: str | None = None,
    *,
    new: bool = False,
) -> ConsultationEntry:
    """A committee consultation."""
    return ConsultationEntry(
        date=fd(when), gremium=name, vorlagenart=vorlagenart, nummer=nummer, note=None, is_new=new
    )


@dataclass
class Spec:
    """A project before it gets its number (numbers are computed per edition)."""

    title: str
    status: Status
    since: date | None
    description: str
    short_title: str = ""
    project_start: FuzzyDate | None = None
    milestones_done: tuple[DatedEntry, ...] = ()
    planning_steps: tuple[DatedEntry, ...] = ()
    consultations: tuple[ConsultationEntry, ...] = ()
    remark: str = ""
    milestones_planned: tuple[DatedEntry, ...] = ()
    departments: tuple[str, ...] = ("80.01",)
    municipalities: str = ""
    changes: ProjectChanges | None = None


class _Numbering:
    """Hands out project ids and builds goals with ``field.goal.group.n`` numbers."""

    def __init__(self) -> None:
        self.next_id = 1

    def goal(self, field_no: int, index: int, text: str, specs: list[Spec]) -> GoalSection:
        groups = []
        for group_index, status in enumerate(REPORT_ORDER, start=1):
            group_number = f"{field_no}.{index}.{group_index}"
            projects = []
            for n, spec in enumerate((s for s in specs if s.status is status), start=1):
                projects.append(self._block(spec, f"{group_number}.{n}"))
            groups.append(StatusGroup(group_number, status, tuple(projects)))
        return GoalSection(
            number=f"{field_no}.{index}", index=index, text=text, groups=tuple(groups)
        )

    def _block(self, spec: Spec, number: str) -> ProjectBlock:
        project_id = self.next_id
        self.next_id += 1
        return ProjectBlock(
            project_id=project_id,
            number=number,
            title=spec.title,
            short_title=spec.short_title or spec.title,
            status=spec.status,
            status_since=None if spec.since is None else FuzzyDate.day(spec.since),
            project_start=spec.project_start,
            description=RichText.from_plain(spec.description),
            milestones_done=spec.milestones_done,
            planning_steps=spec.planning_steps,
            consultations=spec.consultations,
            remark=RichText.from_plain(spec.remark),
            milestones_planned=spec.milestones_planned,
            departments=spec.departments,
            municipalities=spec.municipalities,
            changes=spec.changes,
        )


def _climate_goals(numbering: _Numbering) -> tuple[GoalSection, ...]:
    goal_1 = [
        Spec(
            "Energieberatung für kreiseigene Gebäude",
            Status.UMGESETZT,
            date(2024, 9, 24),
            "Zur Beurteilung der Potentiale zur Energieeinsparung durch die Sanierung von "
            "Gebäuden soll ein Energieberater beauftragt werden.",
            milestones_done=(
                done("2022", "Ausschreibung der Energieberatung"),
                done("31.12.2023", "Abschluss der Bestandsaufnahme an den Gebäuden"),
                done(
                    "24.09.2024",
                    "Bericht zu den Ergebnissen der Gebäudesteckbriefe im "
                    "Ausschuss für Bau-, Straßenwesen und Immobilien",
                ),
            ),
            consultations=(
                gremium(
                    "11.05.2022",
                    "Ausschuss für Bau-, Straßenwesen und Immobilien",
                    "Beschlussvorlage",
                    "077/2022",
                ),
                gremium("09.06.2022", "Kreisausschuss", "Beschlussvorlage", "077/2022"),
                gremium("24.09.2024", "Ausschuss für Bau-, Straßenwesen und Immobilien", "Bericht"),
            ),
            departments=("65",),
            changes=ProjectChanges(
                previous_status=Status.IN_BEARBEITUNG, previous_number="1.1.2.2"
            ),
        ),
        Spec(
            "Klimaschutzkonzept 2.0",
            Status.IN_BEARBEITUNG,
            date(2022, 10, 1),
            "Das Klimaschutzkonzept 2.0 soll die Grundlage bilden, um das von der Politik "
            "beschlossene Ziel der Klimaneutralität zu erreichen. Dazu wurde zunächst eine "
            "Ist-Analyse erstellt.\n\nDer Maßnahmenplan im Klimaschutzkonzept Kreis Soest 2.0 ist "
            "Teil des Nachhaltigkeitsreports. Das Umsetzungscontrolling erfolgt gemäß "
            "energiepolitischem Leitbild der Kreisverwaltung Soest.",
            milestones_done=(
                done(
                    "21.03.2024",
                    "Beschluss des Klimaschutzkonzeptes 2.0, inkl. Teilbericht "
                    "klimaneutraler Konzern Kreis Soest 2030",
                ),
                done(
                    "01.06.2024",
                    "Zwischenbericht zu den Gebäudesteckbriefen kreiseigener Liegenschaften im EKS",
                ),
                done(
                    "18.11.2024",
                    "Vorstellung des Vorgehens zur Aktualisierung der IST-Analyse "
                    "des EEA im Ausschuss für Energie und Klimaschutz",
                    new=True,
                ),
            ),
            consultations=(
                gremium("21.03.2024", "Kreistag", "Beschlussvorlage", "029/2024"),
                gremium(
                    "18.11.2024",
                    "Ausschuss für Energie und Klimaschutz",
                    "Informationsvorlage",
                    "282/2024",
                    new=True,
                ),
            ),
            milestones_planned=(
                done("April 2025", "Abschluss der IST-Analyse im EEA"),
                done(
                    "20.05.2025",
                    "Vorstellung des Ergebnisses der IST-Analyse im Ausschuss "
                    "für Energie und Klimaschutz",
                ),
            ),
            municipalities="Klimawerkstätten in allen 14 Städten und Gemeinden",
            changes=ProjectChanges(),
        ),
        Spec(
            "Projekt „Klimaschutzbürger“",
            Status.IN_PLANUNG,
            date(2023, 10, 1),
            "Um zur Teilnahme an der Klima-Allianz zu motivieren, wird zusätzlich das Projekt "
            "„Klimaschutzbürger“ durchgeführt.",
            planning_steps=(done("3. Quartal 2024", "Konzeptskizze mit der Verbraucherzentrale"),),
            remark="Die App „Klimaallianz Kreis Soest“ ist mittlerweile wieder online.",
            changes=ProjectChanges(is_new_project=True),
        ),
        Spec(
            "Ausbau des Netzwerkes „Sanieren mit Zukunft“",
            Status.IDEENSPEICHER,
            date(2022, 10, 1),
            "Der Kreis Soest wertet das Netzwerk „Sanieren mit Zukunft“ auf und ergänzt das "
            "Aufgabenfeld um den Neubau.",
            remark="Die Maßnahme wurde in das Klimaschutzkonzept Kreis Soest 2.0 übernommen.",
            municipalities="Monatliche Initialberatungen durch Energieberater in den Rathäusern",
            # one long word, like the real edition's "Kantinenausschuss" (4.1.4.2)
            departments=("Kantinenausschuss",),
            changes=ProjectChanges(remark_changed=True),
        ),
        Spec(
            HOSTILE_TITLE,
            Status.IDEENSPEICHER,
            date(2023, 10, 1),
            "Auszubildende werden zu Energie-Scouts & Multiplikatoren ausgebildet.",
            short_title=HOSTILE_TITLE,
            departments=("80.01", "wfg"),
        ),
    ]
    goal_2 = [
        Spec(
            "Wasserstoffallianz Kreis Soest",
            Status.IN_BEARBEITUNG,
            date(2023, 10, 1),
            "Die offenen Strategiedialoge von Unternehmen mit Interesse am Aufbau einer "
            "Wasserstoffwirtschaft werden als „Wasserstoffallianz Kreis Soest“ fortgeführt.",
            milestones_done=(
                done("07.09.2023", "erstes Allianztreffen mit ursprünglichem Akteurskreis"),
                done("13.12.2023", "erweiterter Strategiedialog"),
                done("20.06.2024", "Beitritt zum Bund der Wasserstoffregionen (BdWR)"),
            ),
            consultations=(gremium("20.06.2024", "Kreistag", "Beschlussvorlage", "150/2024"),),
            remark="Das H2-Scouting erfolgt in Kooperation mit den regionalen Hochschulen "
            "(HSHL und FH Südwestfalen).",
            milestones_planned=(
                done("07.05.2025", "2. Workshop Regionale Geschäftsmodelle"),
                done("17.06.2025", "Strategiedialog 7. Netzwerktreffen"),
            ),
            departments=("80.01", "wfg"),
        ),
        Spec(
            "Förderung der erneuerbaren Energien",
            Status.IN_PLANUNG,
            date(2022, 10, 1),
            "Die erneuerbaren Energien Photovoltaik, Windenergie und Geothermie werden ausgebaut.",
            planning_steps=(
                done(
                    None,
                    "Zum Ausbau der Windenergie gründet sich eine "
                    "abteilungsübergreifende Arbeitsgruppe.",
                ),
            ),
            municipalities="Interkommunaler Austausch",
        ),
    ]
    return (
        numbering.goal(1, 1, "Energieeinsparpotentiale sollen realisiert werden.", goal_1),
        numbering.goal(1, 2, "Der Anteil der erneuerbaren Energien soll erhöht werden.", goal_2),
    )


def _society_goals(numbering: _Numbering) -> tuple[GoalSection, ...]:
    goal_1 = [
        Spec(
            "App ElternStart!",
            Status.UMGESETZT,
            date(2024, 10, 1),
            "Die App ElternStart! ist ein NRW-weit einzigartiges Angebot des Kreisjugendamtes "
            "zu Fragen rund um Schwangerschaft und Eltern-sein.",
            short_title="App Elternstart!",
            project_start=FuzzyDate.day(date(2024, 6, 7)),
            milestones_done=(
                done("07.06.2024", "Vorstellung der App in der Presse"),
                done(
                    "seit September 2024",
                    "Erfolgreicher Einsatz der ElternStartApp bei "
                    "Willkommensbesuchen des Kreisjugendamtes",
                ),
            ),
            consultations=(
                gremium("06.06.2024", "Jugendhilfeausschuss", "Informationsvorlage", "128/2024"),
            ),
            remark="Das Projekt ist erfolgreich abgeschlossen.",
            departments=("51",),
        ),
        Spec(
            "Ausbau der Präventionsketten",
            Status.IN_BEARBEITUNG,
            date(2022, 10, 1),
            "Im Kreis Soest wird eine lückenlose Präventionskette zur Stärkung von Familien, "
            "Kindern und jungen Menschen aufgebaut.",
            milestones_done=(done("fortlaufend", "Netzwerktreffen der Präventionskette"),),
            consultations=(
                gremium(
                    "06.03.2025",
                    "Ausschuss für Umwelt und Landwirtschaft",
                    "Beschlussvorlage",
                    "057/2025",
                ),
            ),
            departments=("51", "53"),
            municipalities="Information zum Projekt an die 11 Bürgermeister",
        ),
    ]
    return (
        numbering.goal(
            2,
            1,
            "Kinder und Jugendliche werden in einer lückenlosen kommunalen Präventionskette "
            "betreut.",
            goal_1,
        ),
    )


def sample_edition(*, show_changes: bool = False, draft: bool = False) -> AssembledEdition:
    """A small, realistic edition (Stand 01.04.2025) that exercises every part of the report."""
    numbering = _Numbering()
    fields = (
        FieldChapter(
            number=1,
            title="Klima/Energie/Umwelt",
            overview="Der Kreis Soest wird bis 2030 erhebliche Teile seines "
            "Energiesparpotentials realisieren.\n\nEine „Klimaallianz“ der Bürger soll deren "
            "klimafreundliches Verhalten befördern.",
            goals=_climate_goals(numbering),
        ),
        FieldChapter(
            number=2,
            title="Gesellschaft/soziale Gerechtigkeit/Gesundheit",
            overview="Die öffentliche Wohnraumförderung wird intensiviert und begleitet von "
            "einer qualifizierten Wohnungsmarktbeobachtung.",
            goals=_society_goals(numbering),
        ),
    )
    return AssembledEdition(
        cutoff=CUTOFF,
        previous_cutoff=PREVIOUS_CUTOFF,
        archive_since=ARCHIVE_SINCE,
        intro=INTRO,
        fields=fields,
        archive_implemented=(
            ArchivedImplementedRow(
                "Klima/Energie/Umwelt",
                "10 Jahre Klimaschutzmanagement",
                date(2022, 10, 1),
                "1.1.1 + 1.2.1",
            ),
            ArchivedImplementedRow(
                "Klima/Energie/Umwelt", "Klima-Allianz", date(2024, 4, 1), "1.1.1.1"
            ),
            ArchivedImplementedRow(
                "Gesellschaft/soziale Gerechtigkeit/Gesundheit",
                "Digitale Pflegeberatung",
                date(2024, 4, 1),
                "2.4.1.1",
            ),
        ),
        archive_dropped=(
            ArchivedDroppedRow(
                "Klima/Energie/Umwelt",
                "Moore als Treibhausgasspeicher",
                "ersetzt durch Projekt „Schwammwald“",
                date(2023, 10, 1),
            ),
            ArchivedDroppedRow(
                "Konsum und globale Verantwortung",
                "regionale Marken",
                "mangelndes Interesse der Beteiligten",
                date(2024, 4, 1),
            ),
        ),
        show_changes=show_changes,
        draft=draft,
    )


# --- the large edition for benchmarks -------------------------------------------------------

_FIELD_TITLES = (
    "Klima/Energie/Umwelt",
    "Gesellschaft/soziale Gerechtigkeit/Gesundheit",
    "Wirtschaft/Beschäftigung/Bildung",
    "Konsum und globale Verantwortung",
    "Mobilität",
    "Digitalisierung/Smart Country",
)
#: Goals per field and the status mix of the 01.04.2025 edition (33 goals, 98 projects).
_GOALS_PER_FIELD = (4, 8, 3, 3, 9, 6)
_STATUS_MIX = (
    (Status.UMGESETZT,) * 5
    + (Status.IN_BEARBEITUNG,) * 59
    + (Status.IN_PLANUNG,) * 16
    + (Status.IDEENSPEICHER,) * 18
)
_SENTENCE = (
    "Der Kreis Soest treibt das Vorhaben gemeinsam mit den Städten und Gemeinden voran und "
    "berichtet regelmäßig über den Fortschritt in den zuständigen Gremien."
)
_MILESTONE_DATES = (
    "2022",
    "3. Quartal 2022",
    "31.12.2023",
    "Oktober 2024",
    "seit September 2024",
    "24.09.2024",
    "fortlaufend",
)


def _synthetic_spec(k: int) -> Spec:
    """The k-th synthetic project: a status from the real mix, texts of varying length."""
    status = _STATUS_MIX[(k * 37) % len(_STATUS_MIX)]
    dated = tuple(
        done(
            _MILESTONE_DATES[(k + i) % len(_MILESTONE_DATES)],
            f"Meilenstein {i + 1}: Abstimmung mit den Beteiligten und Auswertung der Ergebnisse",
        )
        for i in range(k % 6)
    )
    return Spec(
        title=f"Projekt {k + 1}: Maßnahme zur nachhaltigen Entwicklung im Kreis Soest",
        status=status,
        since=date(2022 + k % 3, 4 if k % 2 else 10, 1),
        description="\n\n".join([" ".join([_SENTENCE] * (1 + k % 3))] * (1 + k % 2)),
        short_title=f"Projekt {k + 1}",
        project_start=FuzzyDate.day(date(2021, 1 + k % 12, 1)) if k % 7 == 0 else None,
        milestones_done=dated if status in (Status.UMGESETZT, Status.IN_BEARBEITUNG) else (),
        planning_steps=dated if status is Status.IN_PLANUNG else (),
        consultations=tuple(
            gremium(
                "06.03.2025",
                "Ausschuss für Umwelt und Landwirtschaft",
                "Beschlussvorlage",
                f"{k % 300:03d}/2025",
            )
            for _ in range(k % 3)
        ),
        remark=_SENTENCE if k % 2 else "",
        milestones_planned=dated[:2] if k % 4 == 1 else (),
        departments=("80.01", "wfg")[: 1 + k % 2],
        municipalities="Interkommunaler Austausch" if k % 3 == 0 else "",
    )


def synthetic_edition(scale: int = 1) -> AssembledEdition:
    """An edition with 98 × ``scale`` projects spread like the 01.04.2025 edition's."""
    total = 98 * scale
    goal_count = sum(_GOALS_PER_FIELD)
    numbering = _Numbering()
    fields = []
    k = 0
    goal_seq = 0
    for field_no, (title, goals_in_field) in enumerate(
        zip(_FIELD_TITLES, _GOALS_PER_FIELD, strict=True), start=1
    ):
        goals = []
        for index in range(1, goals_in_field + 1):
            share = total * (goal_seq + 1) // goal_count - total * goal_seq // goal_count
            goal_seq += 1
            specs = [_synthetic_spec(k + i) for i in range(share)]
            k += share
            goals.append(
                numbering.goal(
                    field_no,
                    index,
                    f"Strategisches Ziel {index} im Themenfeld „{title}“ wird erreicht.",
                    specs,
                )
            )
        fields.append(FieldChapter(field_no, title, _SENTENCE, tuple(goals)))
    return AssembledEdition(
        cutoff=CUTOFF,
        previous_cutoff=PREVIOUS_CUTOFF,
        archive_since=ARCHIVE_SINCE,
        intro=INTRO,
        fields=tuple(fields),
        archive_implemented=tuple(
            ArchivedImplementedRow(
                _FIELD_TITLES[i % 6],
                f"Archiviertes Projekt {i + 1}",
                date(2023, 4, 1),
                f"{1 + i % 6}.1.1.1",
            )
            for i in range(20 * scale)
        ),
        archive_dropped=tuple(
            ArchivedDroppedRow(
                _FIELD_TITLES[i % 6],
                f"Entfallenes Projekt {i + 1}",
                "Daueraufgabe",
                date(2024, 4, 1),
            )
            for i in range(5 * scale)
        ),
    )
