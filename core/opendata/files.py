"""Writing the open-data files: an edition's JSON, CSV and XLSX with the schema and a note on
licence and formats into a downloads folder, and the catalogue into the site's root.

The website (:func:`core.site.build.write_downloads`, :func:`core.site.build.build_site`) and
``nhr export`` share these, so a download and an export are the same file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import texts
from core.config import Publisher
from core.models import Edition, EditionState
from core.opendata.license import OpenData
from core.view import AssembledEdition

#: The JSON Schema of the JSON export, shipped in this package and written to the downloads.
SCHEMA_FILE = "nhr-export.schema.json"
#: The note beside the downloads: what the files are, their licence, the CSV's format.
README_FILE = "LIESMICH.txt"


class DownloadLike(Protocol):
    """A file of an edition on the site (``core.site.data.Download``)."""

    @property
    def fmt(self) -> str: ...

    @property
    def href(self) -> str: ...


def schema_text() -> str:
    """The JSON Schema (draft 2020-12) of ``nhr export --format json``."""
    return files("core.opendata").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema as data."""
    data: dict[str, Any] = json.loads(schema_text())
    return data


def json_text(edition: AssembledEdition, publisher: Publisher, open_data: OpenData) -> str:
    """The JSON download of ``edition``."""
    from core.export import export_json

    document = export_json(edition, publisher, open_data.license)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_open_data(
    edition: AssembledEdition,
    folder: Path,
    stem: str,
    publisher: Publisher,
    open_data: OpenData,
) -> list[Path]:
    """Write ``<stem>.json``, ``<stem>.csv`` (UTF-8 with BOM, semicolons) and ``<stem>.xlsx``
    of ``edition`` plus the schema and :data:`README_FILE` into ``folder``; returns the paths."""
    from core.export import CSV_ENCODING, project_list_csv
    from core.opendata.xlsx import edition_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / f"{stem}.json"
    json_path.write_text(json_text(edition, publisher, open_data), encoding="utf-8")
    csv_path = folder / f"{stem}.csv"
    # newline="": the CSV's own CRLF line ends, unchanged on every platform
    with csv_path.open("w", encoding=CSV_ENCODING, newline="") as out:
        out.write(project_list_csv(edition))
    xlsx_path = folder / f"{stem}.xlsx"
    xlsx_path.write_bytes(edition_xlsx(edition, publisher, open_data.license))
    schema_path = folder / SCHEMA_FILE
    schema_path.write_text(schema_text(), encoding="utf-8")
    readme_path = folder / README_FILE
    readme_path.write_text(readme(publisher, open_data), encoding="utf-8")
    return [json_path, csv_path, xlsx_path, schema_path, readme_path]


def readme(publisher: Publisher, open_data: OpenData) -> str:
    """The German note beside the downloads (the CSV has no place for a licence)."""
    lic = open_data.license
    by = (
        texts.OPEN_DATA_README_ATTRIBUTION.format(
            name=publisher.name, license=lic.name, license_url=lic.url
        )
        if lic.attribution_required
        else ""
    )
    return texts.OPEN_DATA_README.format(
        name=publisher.name,
        rule="=" * (len(publisher.name) + 41),
        url=publisher.url,
        license=lic.name,
        license_url=lic.url,
        license_id=lic.id,
        attribution=by,
    )


def write_catalog(
    session: Session,
    out: Path,
    publisher: Publisher,
    open_data: OpenData,
    downloads: Mapping[date, Sequence[DownloadLike]],
    *,
    root_edition: date | None,
) -> Path:
    """Write the DCAT-AP.de catalogue of the published editions in ``downloads`` (their files,
    relative to ``out``) to ``out/catalog.ttl``. ``root_edition`` is the published edition
    whose pages are at the site's root; another edition's pages count when
    ``ausgaben/<cutoff>/index.html`` exists."""
    from core.opendata.dcat import CATALOG_FILE, CatalogEdition, CatalogFile, catalog_turtle

    published = {
        cutoff: (at or datetime.combine(cutoff, datetime.min.time(), UTC)).date()
        for cutoff, at in session.execute(
            select(Edition.cutoff, Edition.published_at).where(
                Edition.state == EditionState.PUBLISHED
            )
        )
    }
    editions: list[CatalogEdition] = []
    for cutoff, items in downloads.items():
        if cutoff not in published:
            continue
        found = [CatalogFile(d.fmt, d.href) for d in items]
        sub_site = f"ausgaben/{cutoff.isoformat()}/index.html"
        if cutoff == root_edition:
            found.append(CatalogFile("html", "index.html"))
        elif (out / sub_site).is_file():
            found.append(CatalogFile("html", sub_site))
        if found:
            editions.append(CatalogEdition(cutoff, published[cutoff], tuple(found)))
    schema_href = next(
        (
            str(Path(d.href).parent / SCHEMA_FILE)
            for items in downloads.values()
            for d in items
            if d.fmt == "json"
        ),
        None,
    )
    modified = max((e.published for e in editions), default=datetime.now(UTC).date())
    path = out / CATALOG_FILE
    path.write_text(
        catalog_turtle(editions, publisher, open_data, modified=modified, schema_href=schema_href),
        encoding="utf-8",
    )
    return path
