"""Open data: the Excel CSV, the XLSX workbook, the licence, the JSON Schema and the DCAT-AP.de
catalogue, as a user (Excel, a validator, a harvesting portal) reads them."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import rdflib.namespace as ns  # not DCAT etc.: pytest probes module globals, they warn
from jsonschema import Draft202012Validator
from pyshacl import validate
from rdflib import Graph, URIRef
from sqlalchemy.orm import Session, sessionmaker
from support.guarded import run_nhr
from support.sample_edition import sample_edition
from support.seeds import CUTOFF_2023, CUTOFF_2025, SEED_2023, SEED_2025, require_seed
from support.snapshots import Build, import_demo, import_seed

from core.config import Publisher
from core.editions import get_or_create_edition
from core.export import CSV_COLUMNS, export_json
from core.frozen import edition_view
from core.opendata.cells import formula_safe
from core.opendata.dcat import CatalogEdition, CatalogFile, catalog_turtle
from core.opendata.files import schema, write_open_data
from core.opendata.license import OpenData, data_license
from core.opendata.xlsx import edition_xlsx
from core.site.build import build_site
from core.view import AssembledEdition

PUBLISHER = Publisher(
    "Kreis Soest", "des Kreises Soest", "https://www.kreis-soest.de", None, "#00614a"
)
LICENSE = data_license()
SHAPES = Path(__file__).parent / "support" / "dcat_ap_de_shapes.ttl"
DEMO_CUTOFF = date(2025, 4, 1)


def _with_title(ed: AssembledEdition, title: str) -> AssembledEdition:
    """``ed`` with its first project renamed (a hostile or German title)."""
    fld = ed.fields[0]
    goal = fld.goals[0]
    group = goal.groups[0]
    project = replace(group.projects[0], title=title)
    group = replace(group, projects=(project, *group.projects[1:]))
    goal = replace(goal, groups=(group, *goal.groups[1:]))
    fld = replace(fld, goals=(goal, *fld.goals[1:]))
    return replace(ed, fields=(fld, *ed.fields[1:]))


# -- cells and CSV ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-5 %", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_could_start_a_formula_gets_an_apostrophe(text: str) -> None:
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Wärme für Kommunen", "1.2.3.1", "", "– entfällt", "'x"])
def test_an_ordinary_cell_stays_as_it_is(text: str) -> None:
    assert formula_safe(text) == text


def test_the_csv_opens_in_german_excel_with_umlauts_and_no_formula(tmp_path: Path) -> None:
    ed = _with_title(sample_edition(), "=Wärmeplanung+Förderung")
    write_open_data(ed, tmp_path, "liste", PUBLISHER, OpenData())
    raw = (tmp_path / "liste.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + len(ed.projects())
    first = rows[1]
    assert first[2] == "'=Wärmeplanung+Förderung"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# -- XLSX ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook() -> openpyxl.Workbook:
    ed = _with_title(sample_edition(), "=1+1 Wärme")
    data = edition_xlsx(ed, PUBLISHER, LICENSE, generated_at=datetime(2025, 4, 2, 8, 0))
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws: Any) -> list[dict[str, Any]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]


def test_the_workbook_has_one_sheet_per_list_and_the_notes(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == ["Projekte", "Meilensteine", "Beratungen", "Archiv", "Hinweise"]
    for name in workbook.sheetnames[:4]:
        ws = workbook[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert all(ws.column_dimensions[c.column_letter].width >= len(str(c.value)) for c in ws[1])


def test_the_project_sheet_lists_every_project_with_typed_cells(
    workbook: openpyxl.Workbook,
) -> None:
    ed = sample_edition()
    rows = _rows(workbook["Projekte"])
    assert [r["Nummer"].value for r in rows] == [p.number for p in ed.projects()]
    first = rows[0]
    assert first["Titel"].value == "=1+1 Wärme" and first["Titel"].data_type == "s"
    assert isinstance(first["Projekt-ID"].value, int)
    assert isinstance(first["Themenfeld-Nr."].value, int)
    assert first["Status"].value in {"umgesetzt", "in Bearbeitung", "in Planung", "Ideenspeicher"}


def test_a_day_is_a_date_cell_and_any_other_date_its_text_and_value(
    workbook: openpyxl.Workbook,
) -> None:
    rows = _rows(workbook["Meilensteine"])
    assert {r["Art"].value for r in rows} == {"erreicht", "geplant", "Planungsschritt"}
    days = [r for r in rows if isinstance(r["Datum"].value, datetime)]
    others = [r for r in rows if isinstance(r["Datum"].value, str)]
    assert days and others
    for r in days:
        assert r["Datum"].number_format == "DD.MM.YYYY"
        assert r["Datum (Wert)"].value == r["Datum"].value.date().isoformat()
    quarter = next(r for r in others if "Quartal" in r["Datum"].value)
    assert "-Q" in quarter["Datum (Wert)"].value


def test_consultations_and_archive_are_sheets_of_their_own(workbook: openpyxl.Workbook) -> None:
    ed = sample_edition()
    consultations = _rows(workbook["Beratungen"])
    assert len(consultations) == sum(len(p.consultations) for p in ed.projects())
    archive = _rows(workbook["Archiv"])
    assert [r["Art"].value for r in archive] == (
        ["umgesetzt"] * len(ed.archive_implemented) + ["entfallen"] * len(ed.archive_dropped)
    )
    assert all(
        isinstance(r["Zuletzt erwähnt"].value, datetime)
        for r in archive
        if r["Art"].value == "entfallen"
    )


def test_the_workbook_states_licence_and_source(workbook: openpyxl.Workbook) -> None:
    notes = {r["Angabe"].value: r["Wert"].value for r in _rows(workbook["Hinweise"])}
    assert notes["Lizenz"] == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    assert notes["Lizenz-Adresse"] == "https://www.govdata.de/dl-de/by-2-0"
    assert notes["Quellenangabe"].startswith("Kreis Soest: Nachhaltigkeitsreport, Stand ")
    assert "dl-de/by-2-0" in workbook.properties.description
    assert workbook.properties.creator == "Kreis Soest"


# -- licence ---------------------------------------------------------------------------------


def test_the_licence_is_configurable_by_id_name_and_address() -> None:
    zero = data_license("dl-de/zero-2-0")
    assert zero.uri == "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
    assert not zero.attribution_required
    own = data_license("eigene", name="Eigene Lizenz", url="https://example.org/lizenz")
    assert (own.name, own.url, own.uri) == (
        "Eigene Lizenz",
        "https://example.org/lizenz",
        "https://example.org/lizenz",
    )


def test_the_licence_setting_reaches_the_json_export(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from core.config import Settings

    monkeypatch.setenv("DATA_LICENSE", "cc-by-4.0")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    document = export_json(sample_edition(), settings.publisher, settings.open_data.license)
    assert document["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Creative Commons" in document["license"]["attribution"]


# -- JSON Schema -----------------------------------------------------------------------------


def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(document)]


def _export(sessions: sessionmaker[Session], cutoff: date) -> dict[str, Any]:
    with sessions() as session:
        ed = edition_view(session, cutoff)
    document = export_json(ed, PUBLISHER, LICENSE)
    return json.loads(json.dumps(document))  # as a reader gets it from the file


def test_the_demo_export_is_valid_against_the_schema(
    sessions: sessionmaker[Session], db_snapshot: Any
) -> None:
    db_snapshot("demo", import_demo)
    document = _export(sessions, DEMO_CUTOFF)
    assert _errors(document) == []
    assert document["license"]["id"] == "dl-de/by-2-0"


def test_a_draft_export_is_valid_against_the_schema(
    sessions: sessionmaker[Session], db_snapshot: Any
) -> None:
    db_snapshot("demo", import_demo)
    with sessions.begin() as session:
        get_or_create_edition(session, date(2025, 10, 1))
    document = _export(sessions, date(2025, 10, 1))
    assert document["edition"]["draft"] is True
    assert _errors(document) == []


def _both_seeds() -> Build:
    build_2023 = import_seed(require_seed(SEED_2023))
    build_2025 = import_seed(require_seed(SEED_2025))

    def build(sessions: sessionmaker[Session]) -> None:
        build_2023(sessions)
        build_2025(sessions)

    return build


@pytest.mark.slow
def test_both_real_editions_export_valid_against_the_schema(
    sessions: sessionmaker[Session], db_snapshot: Any
) -> None:
    db_snapshot("seeds-2023-2025", _both_seeds())
    for cutoff in (CUTOFF_2023, CUTOFF_2025):
        document = _export(sessions, cutoff)
        assert document["fields"], cutoff
        assert _errors(document) == [], cutoff


def test_the_schema_rejects_an_export_of_another_shape() -> None:
    good = json.loads(json.dumps(export_json(sample_edition(), PUBLISHER, LICENSE)))
    assert _errors(good) == []
    project = good["fields"][0]["goals"][0]["projects"][0]
    project["budget"] = 1000  # a key the schema does not document
    del good["license"]
    errors = _errors(good)
    assert any("'license' is a required property" in e for e in errors)
    assert any("'budget' was unexpected" in e for e in errors)


# -- the command line ------------------------------------------------------------------------


@pytest.mark.slow
def test_nhr_export_writes_xlsx_csv_json_and_schema(
    cli_database: Any, db_snapshot: Any, tmp_path: Path
) -> None:
    db_snapshot("demo", import_demo)
    for fmt in ("xlsx", "csv", "json", "schema"):
        run = run_nhr("export", "--format", fmt, "--out", f"export.{fmt}")
        assert run.code == 0 and run.err.strip() == f"Export geschrieben: export.{fmt}"
    book = openpyxl.load_workbook(tmp_path / "export.xlsx")
    assert book["Projekte"].max_row == 99  # header and the demo's 98 projects
    assert (tmp_path / "export.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    document = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert _errors(document) == []
    assert json.loads((tmp_path / "export.schema").read_text(encoding="utf-8")) == schema()
    to_screen = run_nhr("export", "--format", "csv")
    assert to_screen.code == 0 and to_screen.out.startswith("number;short_title;")  # no BOM
    nowhere = run_nhr("export", "--format", "csv", "--out", "fehlt/liste.csv")
    assert nowhere.code == 1
    assert nowhere.err == "Datei oder Ordner nicht gefunden: fehlt/liste.csv.\n"  # nhr.errors


def test_nhr_export_xlsx_without_a_file_asks_for_one(cli_database: Any) -> None:
    run = run_nhr("export", "--format", "xlsx")
    assert run.code == 2
    assert run.err.strip() == (
        "XLSX ist eine Binärdatei: bitte mit --out DATEI angeben, wohin sie soll."
    )


# -- DCAT-AP.de catalogue --------------------------------------------------------------------


EDITIONS = [
    CatalogEdition(
        date(2025, 4, 1),
        date(2025, 5, 12),
        (
            *(
                CatalogFile(fmt, f"downloads/nachhaltigkeitsreport-2025-04-01.{fmt}")
                for fmt in ("pdf", "docx", "json", "csv", "xlsx")
            ),
            CatalogFile("html", "index.html"),
        ),
    ),
    CatalogEdition(
        date(2023, 10, 1),
        date(2023, 10, 1),
        (CatalogFile("json", "downloads/nachhaltigkeitsreport-2023-10-01.json"),),
    ),
]


def _catalog(open_data: OpenData | None = None) -> Graph:
    text = catalog_turtle(
        EDITIONS,
        PUBLISHER,
        open_data or OpenData(),
        modified=date(2025, 5, 12),
        schema_href="downloads/s.json",
    )
    return Graph().parse(
        data=text, format="turtle", publicID="https://www.kreis-soest.de/nachhaltigkeit/catalog.ttl"
    )


def _shacl(graph: Graph) -> tuple[bool, str]:
    conforms, _report, text = _validate(graph)
    return bool(conforms), str(text)


def _validate(graph: Graph) -> tuple[object, Graph, object]:
    conforms, report, text = validate(
        graph,
        shacl_graph=str(SHAPES),
        shacl_graph_format="turtle",
        inference="none",
        allow_warnings=False,
    )
    assert isinstance(report, Graph)
    return conforms, report, text


def test_the_catalogue_meets_dcat_ap_de_mandatory_and_recommended_properties() -> None:
    conforms, report = _shacl(_catalog())
    assert conforms, report


def test_the_catalogue_has_a_dataset_per_edition_and_a_distribution_per_file() -> None:
    g = _catalog()
    datasets = set(g.subjects(ns.RDF.type, ns.DCAT.Dataset))
    assert len(datasets) == 2
    newest = next(d for d in datasets if str(d).endswith("#ausgabe-2025-04-01"))
    downloads = {
        str(u)
        for dist in g.objects(newest, ns.DCAT.distribution)
        for u in g.objects(dist, ns.DCAT.downloadURL)
    }
    site = "https://www.kreis-soest.de/nachhaltigkeit/"
    assert site + "downloads/nachhaltigkeitsreport-2025-04-01.xlsx" in downloads
    assert len(downloads) == 5  # the HTML pages have an access address only
    licences = {
        g.value(dist, ns.DCTERMS.license) for dist in g.subjects(ns.RDF.type, ns.DCAT.Distribution)
    }
    assert licences == {URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")}
    assert g.value(newest, URIRef("http://dcat-ap.de/def/dcatde/politicalGeocodingURI")) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/districtKey/05974"
    )


@pytest.mark.parametrize(
    "subject, prop",
    [
        (ns.DCAT.Dataset, ns.DCTERMS.title),
        (ns.DCAT.Distribution, ns.DCTERMS.license),
        (ns.DCAT.Distribution, ns.DCAT.accessURL),
        (ns.DCAT.Catalog, ns.DCTERMS.publisher),
    ],
    ids=["dataset-title", "distribution-license", "distribution-accessURL", "catalog-publisher"],
)
def test_the_validation_fails_when_a_mandatory_property_is_missing(
    subject: URIRef,
    prop: URIRef,
) -> None:
    g = _catalog()
    node = next(iter(g.subjects(ns.RDF.type, subject)))
    g.remove((node, prop, None))
    conforms, report, _text = _validate(g)
    assert not conforms
    violations = {
        (report.value(r, ns.SH.resultPath), report.value(r, ns.SH.focusNode))
        for r in report.subjects(ns.SH.resultSeverity, ns.SH.Violation)
    }
    assert violations == {(prop, node)}


def test_with_site_url_every_address_is_absolute() -> None:
    text = catalog_turtle(
        EDITIONS,
        PUBLISHER,
        OpenData(site_url="https://example.org/nhr"),
        modified=date(2025, 5, 12),
    )
    assert "<https://example.org/nhr/downloads/nachhaltigkeitsreport-2025-04-01.csv>" in text
    assert "<downloads/" not in text


@pytest.mark.slow
def test_nhr_site_writes_the_open_data_and_a_valid_catalogue(
    sessions: sessionmaker[Session], db_snapshot: Any, tmp_path: Path
) -> None:
    db_snapshot("demo", import_demo)
    out = tmp_path / "site"
    with sessions() as session:
        build_site(session, out, PUBLISHER, documents=False)
    downloads = out / "ausgaben/2025-04-01/downloads"
    assert {p.name for p in downloads.iterdir()} == {
        "nachhaltigkeitsreport-2025-04-01.json",
        "nachhaltigkeitsreport-2025-04-01.csv",
        "nachhaltigkeitsreport-2025-04-01.xlsx",
        "nhr-export.schema.json",
        "LIESMICH.txt",
    }
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in (
        downloads / "LIESMICH.txt"
    ).read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="ausgaben/2025-04-01/downloads/nachhaltigkeitsreport-2025-04-01.xlsx"' in index
    base = "https://www.kreis-soest.de/nachhaltigkeit/"
    g = Graph().parse(out / "catalog.ttl", format="turtle", publicID=base + "catalog.ttl")
    conforms, report = _shacl(g)
    assert conforms, report
    urls = {str(u) for p in (ns.DCAT.downloadURL, ns.DCAT.accessURL) for u in g.objects(None, p)}
    assert urls and all(u.startswith(base) and (out / u[len(base) :]).is_file() for u in urls)


def test_an_unknown_licence_needs_its_address(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from core.config import Settings

    monkeypatch.setenv("DATA_LICENSE", "eigene-lizenz")
    with pytest.raises(ValidationError, match="DATA_LICENSE_URL"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("DATA_LICENSE_URL", "https://example.org/lizenz")
    assert Settings(_env_file=None).open_data.license.url == (  # type: ignore[call-arg]
        "https://example.org/lizenz"
    )
