"""The HTML report reads like the 01.04.2025 edition: wording, order, escaping, changes view."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import lxml.html
import pytest
from support.sample_edition import HOSTILE_TITLE, sample_edition, synthetic_edition

from core.fuzzydate_parse import parse_fuzzy_date
from core.render import render_html
from core.render.environment import report_environment


def visible_text(html: str) -> str:
    """The document's text as a reader sees it: no styles, white space collapsed."""
    root = lxml.html.document_fromstring(html)
    for node in root.xpath("//style|//head"):
        node.drop_tree()
    for node in root.xpath("//td|//th|//tr|//p|//li|//h1|//h2|//h3|//h4|//div|//section"):
        node.tail = " " + (node.tail or "")  # block and cell boundaries read as spaces
    text = root.text_content().replace("\u00ad", "").replace("\u200b", "")
    return re.sub(r"\s+", " ", text)


def select(root: lxml.html.HtmlElement, tag: str, css_class: str | None = None) -> list:  # type: ignore[type-arg]
    """Descendants by tag and (optionally) class, in document order."""
    if css_class is None:
        return list(root.iter(tag))
    return root.xpath(
        f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]"
    )


def assert_in_order(text: str, *parts: str) -> None:
    """Every part occurs in the text, each after the one before."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing after position {position}"
        position = found + len(part)


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(sample_edition())


@pytest.fixture(scope="module")
def text(html: str) -> str:
    return visible_text(html)


def test_cover_shows_title_cutoff_and_claim(text: str) -> None:
    assert_in_order(
        text,
        "Nachhaltigkeitsreport Kreis Soest",
        "Stand: 01.04.2025",
        "ZIELE FÜR NACHHALTIGE ENTWICKLUNG",
        "Inhaltsverzeichnis",
    )


def test_contents_list_introduction_chapters_project_lists_and_archive(html: str) -> None:
    root = lxml.html.document_fromstring(html)
    entries = [a.text_content() for a in select(select(root, "nav", "toc")[0], "a")]
    assert entries == [
        "Einleitung",
        "1. Klima/Energie/Umwelt",
        "2. Gesellschaft/soziale Gerechtigkeit/Gesundheit",
        "Projektlisten",
        "Archiv",
    ]
    targets = [a.get("href").lstrip("#") for a in select(select(root, "nav", "toc")[0], "a")]
    assert all(root.get_element_by_id(target) is not None for target in targets)


def test_introduction_has_paragraphs_subheadings_lists_and_one_overview_per_field(
    text: str, html: str
) -> None:
    assert_in_order(
        text,
        "Einleitung und Übersicht zum Nachhaltigkeitsreport Kreis Soest",
        "Der Nachhaltigkeitsreport für den Kreis Soest",
        "Hintergrund",
        "1. Klima/Energie/Umwelt",
        "Der Kreis Soest wird bis 2030",
        "2. Gesellschaft/soziale Gerechtigkeit/Gesundheit",
        "In den folgenden zwei Kapiteln des Nachhaltigkeitsreports",
        "1. KLIMA/ENERGIE/UMWELT",
    )
    assert "<li>Energie/Klima/Umwelt</li>" in html
    assert '<h2 class="intro-heading">Hintergrund</h2>' in html


def test_chapters_are_upper_case_with_numbered_strategic_goals(text: str) -> None:
    assert_in_order(
        text,
        "1. KLIMA/ENERGIE/UMWELT",
        "1.1 Strategisches Ziel 1",
        "Energieeinsparpotentiale sollen realisiert werden.",
        "1.2 Strategisches Ziel 2",
        "Der Anteil der erneuerbaren Energien soll erhöht werden.",
        "2. GESELLSCHAFT/SOZIALE GERECHTIGKEIT/GESUNDHEIT",
        "2.1 Strategisches Ziel 1",
    )


def test_every_goal_prints_its_four_status_groups_in_report_order(text: str) -> None:
    for goal in ("1.1", "1.2", "2.1"):
        assert_in_order(
            text,
            f"{goal}.1 umgesetzte Projekte",
            f"{goal}.2 Projekte in Bearbeitung",
            f"{goal}.3 Projekte in Planung",
            f"{goal}.4 Ideenspeicher",
        )


def test_empty_completed_group_names_the_previous_editions_cutoff(text: str) -> None:
    assert_in_order(
        text,
        "1.2.1 umgesetzte Projekte",
        "seit der letzten Überarbeitung zum 01.10.2024 keine Projekte abgeschlossen",
        "1.2.2 Projekte in Bearbeitung",
    )


def test_other_empty_groups_say_there_are_currently_no_projects(text: str) -> None:
    assert_in_order(
        text,
        "1.2.4 Ideenspeicher",
        "derzeit keine Projekte vorhanden",
        "2.1.3 Projekte in Planung",
        "derzeit keine Projekte vorhanden",
        "2.1.4 Ideenspeicher",
        "derzeit keine Projekte vorhanden",
    )


def test_status_lines_are_worded_by_status(text: str) -> None:
    assert_in_order(
        text,
        "1.1.1.1 Energieberatung für kreiseigene Gebäude",
        "Projektstart/im Status „umgesetzte Projekte“ seit: 24.09.2024",
        "1.1.2.1 Klimaschutzkonzept 2.0",
        "Projektstart/im Status „in Bearbeitung“ seit: 01.10.2022",
        "1.1.3.1 Projekt „Klimaschutzbürger“",
        "Projekt im Status „in Planung“ seit: 01.10.2023",
        "1.1.4.1 Ausbau des Netzwerkes „Sanieren mit Zukunft“",
        "Projekt im Ideenspeicher seit: 01.10.2022",
    )


def test_a_project_start_before_the_status_date_prints_both_dates(text: str) -> None:
    assert "Projektstart/im Status „umgesetzte Projekte“ seit: 07.06.2024/ 01.10.2024" in text


def test_project_block_sections_follow_the_2025_format(text: str) -> None:
    assert_in_order(
        text,
        "1.1.2.1 Klimaschutzkonzept 2.0",
        "Projektbeschreibung:",
        "Das Klimaschutzkonzept 2.0 soll die Grundlage bilden",
        "abgeschlossene Meilensteine (Datum des Abschlusses):",
        "21.03.2024 Beschluss des Klimaschutzkonzeptes 2.0",
        "Beratung/Information in politischen Gremien (Datum/Gremium/Vorlagenart und -Nr.)",
        "21.03.2024 Kreistag, Beschlussvorlage 029/2024",
        "Bemerkung (optional):",
        "geplante Meilensteine:",
        "April 2025 Abschluss der IST-Analyse im EEA",
        "1.1.3.1 Projekt „Klimaschutzbürger“",
        "Erfolgte Planungsschritte (Datum des Abschlusses):",
        "3. Quartal 2024 Konzeptskizze mit der Verbraucherzentrale",
    )


def test_consultations_read_date_committee_type_and_number(text: str) -> None:
    assert "06.03.2025 Ausschuss für Umwelt und Landwirtschaft, Beschlussvorlage 057/2025" in text
    assert "24.09.2024 Ausschuss für Bau-, Straßenwesen und Immobilien, Bericht" in text


def test_fuzzy_milestone_dates_print_in_german(text: str) -> None:
    assert "seit September 2024 Erfolgreicher Einsatz der ElternStartApp" in text
    assert "fortlaufend Netzwerktreffen der Präventionskette" in text


def test_idea_store_projects_show_only_description_and_remark(html: str) -> None:
    root = lxml.html.document_fromstring(html)
    block = root.get_element_by_id("projekt-1.1.4.1")
    labels = [p.text_content().strip() for p in select(block, "p", "label")]
    assert labels == ["Projektbeschreibung:", "Bemerkung (optional):"]


def test_dated_lists_are_two_columns_of_date_and_text(html: str) -> None:
    root = lxml.html.document_fromstring(html)
    rows = select(select(root.get_element_by_id("projekt-1.1.1.1"), "ul", "dated")[0], "li")
    first = rows[0]
    assert [span.get("class") for span in first] == ["date", "entry"]
    assert first[0].text_content() == "2022"


def test_project_list_has_one_row_per_project_with_an_x_in_its_status_column(html: str) -> None:
    root = lxml.html.document_fromstring(html)
    lists = select(root, "section", "project-list")
    assert [select(s, "h2")[0].text_content() for s in lists] == [
        "Projektliste „Klima/Energie/Umwelt“",
        "Projektliste „Gesellschaft/soziale Gerechtigkeit/Gesundheit“",
    ]
    header = visible_text(lxml.html.tostring(select(lists[0], "thead")[0], encoding="unicode"))
    assert_in_order(
        header,
        "Nr. Textteil",
        "Projekt",
        "Projektstatus",
        "Zusammenarbeit mit Kommunen",
        "Verantwortlichkeit Abteilung/Sachgebiet",
        "Ideenspeicher",
        "Planung",
        "Bearbeitung",
        "Umgesetzt",
    )
    rows = [
        [td.text_content().strip() for td in select(tr, "td")]
        for tr in select(select(lists[0], "tbody")[0], "tr")
    ]
    assert [row[0] for row in rows] == [
        "1.1.1.1",
        "1.1.2.1",
        "1.1.3.1",
        "1.1.4.1",
        "1.1.4.2",
        "1.2.2.1",
        "1.2.3.1",
    ]
    assert rows[0][2:6] == ["", "", "", "x"]
    assert rows[1][2:] == [
        "",
        "",
        "x",
        "",
        "Klimawerkstätten in allen 14 Städten und Gemeinden",
        "80.01",
    ]
    assert rows[2][2:6] == ["", "x", "", ""]
    assert rows[3][2:6] == ["x", "", "", ""]
    assert rows[4][-1] == "80.01, wfg"


def test_archive_lists_completed_and_dropped_projects(text: str) -> None:
    assert_in_order(
        text,
        "Archiv",
        "der Projekte, die nicht mehr im Report enthalten sind (seit 01.10.2022)",
        "Umgesetzte Projekte",
        "Themenfelder Projekte Report Nummer",
        "Klima/Energie/Umwelt 10 Jahre Klimaschutzmanagement 01.10.2022 1.1.1 + 1.2.1",
        "Entfallene Projekte",
        "Themenfeld Projekt Grund letzte Erwähnung",
        "Klima/Energie/Umwelt Moore als Treibhausgasspeicher ersetzt durch Projekt „Schwammwald“ "
        "01.10.2023",
    )


def test_titles_are_escaped_and_shown_literally(html: str, text: str) -> None:
    assert "<script>" not in html
    assert "Energie-Scouts für Azubis &amp; Schüler &lt;script&gt;" in html
    assert HOSTILE_TITLE in text


def test_html_is_one_self_contained_file(html: str) -> None:
    assert "<link" not in html
    assert not re.search(r"""\bsrc=|url\(\s*["']?(https?:|//)""", html)
    assert "@page" in html  # the print stylesheet is inlined too
    assert '<html lang="de">' in html


def test_published_edition_without_changes_view_has_no_marks(html: str) -> None:
    assert 'class="badge' not in html
    assert "ENTWURF" not in html


def test_draft_edition_is_marked_as_draft() -> None:
    text = visible_text(render_html(sample_edition(draft=True)))
    assert_in_order(text, "ENTWURF", "Nachhaltigkeitsreport Kreis Soest")


def test_changes_view_marks_new_projects_status_changes_and_new_entries() -> None:
    html = render_html(sample_edition(show_changes=True))
    root = lxml.html.document_fromstring(html)
    new_project = root.get_element_by_id("projekt-1.1.3.1")
    assert "changed" in new_project.get("class")
    assert select(new_project, "span", "badge")[0].text_content() == "neues Projekt"
    moved = root.get_element_by_id("projekt-1.1.1.1")
    assert "Status geändert – bisher: in Bearbeitung" in moved.text_content()
    assert "bisherige Nr. 1.1.2.2" in moved.text_content()
    concept = root.get_element_by_id("projekt-1.1.2.1")
    new_entries = [li.text_content() for li in select(concept, "li", "new")]
    assert len(new_entries) == 2
    assert all(entry.rstrip().endswith("neu") for entry in new_entries)
    remark_changed = root.get_element_by_id("projekt-1.1.4.1")
    assert "Bemerkung (optional): geändert" in visible_text(
        lxml.html.tostring(remark_changed, encoding="unicode")
    )
    unchanged = root.get_element_by_id("projekt-1.2.2.1")
    assert "changed" not in unchanged.get("class")


def test_synthetic_edition_has_98_projects_per_scale() -> None:
    assert len(synthetic_edition(1).projects()) == 98
    assert len(synthetic_edition(2).projects()) == 196
    html = render_html(synthetic_edition(1))
    assert html.count('<article class="project') == 98


def test_date_filters_use_german_formats() -> None:
    env = report_environment()
    assert env.filters["date"](date(2025, 4, 1)) == "01.04.2025"
    assert env.filters["date"](None) == ""
    assert env.filters["fuzzy"](parse_fuzzy_date("Oktober 2024")) == "Oktober 2024"
    assert env.filters["fuzzy"](None) == ""
    winter = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    summer = datetime(2025, 7, 15, 9, 30, tzinfo=UTC)
    assert env.filters["datetime"](winter) == "15.01.2025, 10:30"
    assert env.filters["datetime"](summer) == "15.07.2025, 11:30"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        report_environment().filters["datetime"](datetime(2025, 1, 15, 9, 30))


def test_paragraphs_filter_splits_at_blank_lines() -> None:
    split = report_environment().filters["paragraphs"]
    assert split("Erster Absatz\nmit Zeilen.\n\n  \nZweiter.\r\n\r\nDritter.") == [
        "Erster Absatz\nmit Zeilen.",
        "Zweiter.",
        "Dritter.",
    ]
    assert split("") == []


def test_the_environment_is_created_once_with_autoescape_and_strict_undefined() -> None:
    env = report_environment()
    assert env is report_environment()
    assert env.autoescape is True
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()
