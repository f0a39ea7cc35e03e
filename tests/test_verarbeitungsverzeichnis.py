"""The record of processing activities (docs/verarbeitungsverzeichnis.md) lists exactly the
schema's tables, and names every column that refers to a person or holds a Telegram id."""

from __future__ import annotations

import re
from pathlib import Path

from core.models import Base
from core.privacy import CONTACT_REFERENCES, TELEGRAM_COLUMNS

RECORD = Path(__file__).resolve().parent.parent / "docs" / "verarbeitungsverzeichnis.md"
HEADINGS = (
    "Verantwortlicher",
    "Zwecke",
    "Kategorien betroffener Personen",
    "Kategorien personenbezogener Daten",
    "Empfänger",
    "Übermittlung in Drittländer",
    "Löschfristen",
    "Technische und organisatorische Maßnahmen (TOMs)",
)


def table_rows() -> dict[str, str]:
    """The rows of the record's table list, by table name: ``| `name` | … |``."""
    rows: dict[str, str] = {}
    for line in RECORD.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"\|\s*`([a-z_0-9]+)`\s*\|", line):
            rows[match.group(1)] = line
    return rows


def test_the_record_lists_every_table_of_the_schema_and_no_other() -> None:
    documented = set(table_rows())
    schema = set(Base.metadata.tables)
    missing = sorted(schema - documented)
    assert not missing, (
        f"docs/verarbeitungsverzeichnis.md has no row for the table(s) {', '.join(missing)}: "
        "add one to „Tabellen und personenbezogene Spalten“ (contents, personal columns, "
        "deletion)"
    )
    gone = sorted(documented - schema)
    assert not gone, (
        f"docs/verarbeitungsverzeichnis.md lists table(s) the schema does not have: "
        f"{', '.join(gone)}"
    )


def test_the_record_names_every_column_that_refers_to_a_person() -> None:
    rows = table_rows()
    for table, column in sorted(CONTACT_REFERENCES.keys() | TELEGRAM_COLUMNS):
        assert f"`{column}`" in rows[table], (
            f"docs/verarbeitungsverzeichnis.md: the row of `{table}` does not name `{column}`"
        )


def test_the_record_has_the_sections_the_data_protection_officer_expects() -> None:
    headings = re.findall(r"^## (.+)$", RECORD.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings == list(HEADINGS)
