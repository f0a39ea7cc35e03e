"""Portable backups: every table of the database and its schema revision in one archive.

An archive (``*.nhrbak``) is a zip file that any SQLite or PostgreSQL database of the same
schema revision can be restored from:

- ``manifest.json``: format version, Alembic revision, when it was made (UTC), the kind of
  database it came from, why it was made (``kind``, ``command``) and, per table, its columns
  with their value kinds, the row count and the SHA-256 of the table's file;
- ``tables/<table>.jsonl``: one JSON array per row, in the manifest's column order, rows
  sorted by primary key.

Values have one written form whatever the database: integers and booleans as JSON numbers
and booleans, days as ``2025-04-01``, timestamps as ISO UTC (``…+00:00``), JSON columns as their
stored JSON text (so SQL ``NULL`` and JSON ``null`` stay apart), bytes as base64. The same rows
therefore give the same file, and the same checksum, on SQLite and PostgreSQL.

The instance lock (``instance_lock``: which ``nhr run`` holds the database now) is the state of
a running process, not data: it is neither written nor restored.

A backup reads all tables in one read-only transaction (PostgreSQL: ``REPEATABLE READ``;
SQLite: one read transaction of its WAL), so it is consistent while the bot writes. A restore
migrates the target to the archive's revision, which must be this program's newest, and loads
every row in dependency order in one transaction; PostgreSQL's sequences then continue after
the largest id.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine

from core import texts
from core.dates import format_local
from core.models import Base, UTCDateTime
from core.texts import os_reason

FORMAT = 1
SUFFIX = ".nhrbak"
MANIFEST = "manifest.json"

Progress = Callable[[str], None]

#: Tables of a running process's state, not of the report: left out of backups and restores.
RUNTIME_TABLES = frozenset({"instance_lock"})


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is German and meant for the user."""


@dataclass(frozen=True)
class TableInfo:
    """One table of an archive."""

    columns: tuple[tuple[str, str], ...]  # (name, value kind)
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What an archive holds and where it came from."""

    revision: str
    created_at: datetime
    database: str  # "sqlite" or "postgresql"
    tables: dict[str, TableInfo]
    kind: str = "backup"  # "backup", "restore-point" or "daily"
    command: str | None = None  # the command a restore point was taken before
    format: int = FORMAT

    @property
    def rows(self) -> int:
        """Rows in all tables."""
        return sum(t.rows for t in self.tables.values())

    def checksums(self) -> dict[str, str]:
        """The SHA-256 of every table, by name."""
        return {name: t.sha256 for name, t in self.tables.items()}

    def to_json(self) -> dict[str, Any]:
        """The manifest as written into the archive."""
        return {
            "format": self.format,
            "revision": self.revision,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "database": self.database,
            "kind": self.kind,
            "command": self.command,
            "tables": {
                name: {"columns": [list(c) for c in t.columns], "rows": t.rows, "sha256": t.sha256}
                for name, t in self.tables.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        """Read a manifest; :class:`BackupError` when it is not one of ours."""
        try:
            return cls(
                format=int(data["format"]),
                revision=str(data["revision"]),
                created_at=datetime.fromisoformat(data["created_at"]).astimezone(UTC),
                database=str(data["database"]),
                kind=str(data.get("kind") or "backup"),
                command=data.get("command"),
                tables={
                    str(name): TableInfo(
                        columns=tuple((str(c), str(k)) for c, k in t["columns"]),
                        rows=int(t["rows"]),
                        sha256=str(t["sha256"]),
                    )
                    for name, t in data["tables"].items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise BackupError(texts.BACKUP_MANIFEST_BROKEN) from err


# -- value kinds ----------------------------------------------------------------------------


def column_kind(type_: TypeEngine[Any]) -> str:
    """How a column's values are written: ``int``, ``bool``, ``str``, ``date``, ``datetime``,
    ``json``, ``bytes``, ``float`` or ``decimal`` (by the model's type; decorated types by the
    type they store)."""
    if isinstance(type_, UTCDateTime):
        return "datetime"
    if isinstance(type_, TypeDecorator):
        return column_kind(type_.impl_instance)
    for cls, kind in (
        (Boolean, "bool"),
        (Integer, "int"),
        (JSON, "json"),
        (DateTime, "datetime"),
        (Date, "date"),
        (String, "str"),
        (LargeBinary, "bytes"),
        (Float, "float"),
        (Numeric, "decimal"),
    ):
        if isinstance(type_, cls):
            return kind
    raise TypeError(f"no backup form for column type {type_!r}")


_RAW_TYPES: dict[str, TypeEngine[Any]] = {
    "int": BigInteger(),
    "bool": Boolean(),
    "str": Text(),
    "date": Date(),
    "datetime": DateTime(timezone=True),
    "json": Text(),
    "bytes": LargeBinary(),
    "float": Float(),
    "decimal": Numeric(),
}


@dataclass(frozen=True)
class _Layout:
    """The model's tables, in dependency order, as plain-typed tables of stored values."""

    tables: dict[str, Table]
    kinds: dict[str, tuple[tuple[str, str], ...]]
    keys: dict[str, tuple[int, ...]]  # positions of the primary-key columns
    order: list[str] = field(default_factory=list)


def _layout() -> _Layout:
    metadata = MetaData()
    tables: dict[str, Table] = {}
    kinds: dict[str, tuple[tuple[str, str], ...]] = {}
    keys: dict[str, tuple[int, ...]] = {}
    models = [t for t in Base.metadata.sorted_tables if t.name not in RUNTIME_TABLES]
    for model in models:
        columns = [(c.name, column_kind(c.type)) for c in model.columns]
        tables[model.name] = Table(
            model.name,
            metadata,
            *(
                Column(
                    name,
                    _RAW_TYPES[kind],
                    primary_key=model.c[name].primary_key,
                    autoincrement=False,
                )
                for name, kind in columns
            ),
        )
        kinds[model.name] = tuple(columns)
        keys[model.name] = tuple(i for i, c in enumerate(model.columns) if c.primary_key)
    return _Layout(tables, kinds, keys, [t.name for t in models])


def encode_value(kind: str, value: Any) -> Any:
    """A stored value of ``kind`` in its written (JSON) form."""
    if value is None:
        return None
    if kind == "datetime":
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.isoformat()
    if kind == "date":
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "decimal":
        return str(value)
    if kind == "bool":
        return bool(value)
    return value


def decode_value(kind: str, value: Any) -> Any:
    """The value to store for the written form of a ``kind`` value."""
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value).astimezone(UTC)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "decimal":
        return Decimal(value)
    return value


def _line(row: list[Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _read_column(table: Table, name: str, kind: str) -> ColumnElement[Any]:
    column = table.c[name]
    # JSON as its stored text: psycopg would parse it, and parsing loses NULL versus null.
    return cast(column, Text).label(name) if kind == "json" else column


def _table_lines(conn: Connection, layout: _Layout, name: str) -> Iterator[bytes]:
    """The rows of ``name`` in their written form, sorted by primary key (in Python: the two
    databases sort text differently)."""
    table, kinds = layout.tables[name], layout.kinds[name]
    query = select(*(_read_column(table, c, k) for c, k in kinds))
    rows = [
        [encode_value(k, v) for (_c, k), v in zip(kinds, row, strict=True)]
        for row in conn.execute(query)
    ]
    key = layout.keys[name]
    rows.sort(key=lambda r: tuple(r[i] for i in key))
    for row in rows:
        yield _line(row)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that sees one moment of the database, read-only, for all its queries."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            snap = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with snap.begin():
                yield snap
            return
        # pysqlite begins no transaction for a SELECT: each would see its own moment.
        conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def _revision(conn: Connection) -> str | None:
    try:
        rows = conn.execute(text("select version_num from alembic_version")).scalars().all()
    except SQLAlchemyError:
        return None
    return str(rows[0]) if len(rows) == 1 else None


def _require_head(revision: str | None) -> str:
    from migrations import head_revision

    head = head_revision()
    if revision is None:
        raise BackupError(texts.BACKUP_NO_SCHEMA)
    if revision != head:
        raise BackupError(texts.BACKUP_DB_REVISION.format(revision=revision, head=head))
    return revision


# -- backup -------------------------------------------------------------------------------


def write_backup(
    engine: Engine,
    path: Path,
    now: datetime,
    *,
    kind: str = "backup",
    command: str | None = None,
    progress: Progress | None = None,
) -> Manifest:
    """Write every table of ``engine``'s database into the archive ``path`` (replaced
    atomically: a reader never sees half an archive). ``progress`` is called with each table's
    name after it was read. Raises :class:`BackupError` with a German message."""
    layout = _layout()
    tmp = path.with_name(f".{path.name}.tmp")
    tables: dict[str, TableInfo] = {}
    try:
        with (
            _snapshot(engine) as conn,
            zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
        ):
            revision = _require_head(_revision(conn))
            for name in layout.order:
                digest, count = hashlib.sha256(), 0
                with archive.open(f"tables/{name}.jsonl", "w") as out:
                    for line in _table_lines(conn, layout, name):
                        out.write(line)
                        digest.update(line)
                        count += 1
                tables[name] = TableInfo(layout.kinds[name], count, digest.hexdigest())
                if progress is not None:
                    progress(name)
            manifest = Manifest(
                revision=revision,
                created_at=now.astimezone(UTC),
                database=engine.dialect.name,
                tables=tables,
                kind=kind,
                command=command,
            )
            archive.writestr(MANIFEST, json.dumps(manifest.to_json(), indent=2) + "\n")
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise BackupError(
            texts.BACKUP_NOT_WRITABLE.format(path=path, reason=os_reason(err))
        ) from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def checksums(engine: Engine) -> dict[str, str]:
    """The SHA-256 of every table as a backup would write it now (without writing one)."""
    layout = _layout()
    sums: dict[str, str] = {}
    with _snapshot(engine) as conn:
        for name in layout.order:
            digest = hashlib.sha256()
            for line in _table_lines(conn, layout, name):
                digest.update(line)
            sums[name] = digest.hexdigest()
    return sums


def read_manifest(path: Path) -> Manifest:
    """The manifest of the archive ``path``; :class:`BackupError` if it is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = json.loads(archive.read(MANIFEST))
    except FileNotFoundError as err:
        raise BackupError(texts.BACKUP_NOT_FOUND.format(path=path)) from err
    except OSError as err:
        raise BackupError(
            texts.BACKUP_NOT_READABLE.format(path=path, reason=os_reason(err))
        ) from err
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise BackupError(texts.BACKUP_NOT_A_BACKUP.format(path=path)) from err
    if not isinstance(data, dict):
        raise BackupError(texts.BACKUP_NOT_A_BACKUP.format(path=path))
    return Manifest.from_json(data)


def check_restorable(manifest: Manifest) -> None:
    """Refuse an archive this program cannot load: another format, another schema revision,
    or other tables or columns than the models'."""
    from migrations import head_revision

    if manifest.format != FORMAT:
        raise BackupError(texts.BACKUP_FORMAT.format(found=manifest.format, expected=FORMAT))
    head = head_revision()
    if manifest.revision != head:
        raise BackupError(texts.BACKUP_REVISION.format(revision=manifest.revision, head=head))
    layout = _layout()
    expected = {name: layout.kinds[name] for name in layout.order}
    found = {name: t.columns for name, t in manifest.tables.items()}
    if found != expected:
        raise BackupError(texts.BACKUP_TABLES_MISMATCH)


def _rows(archive: zipfile.ZipFile, name: str, info: TableInfo) -> list[list[Any]]:
    try:
        data = archive.read(f"tables/{name}.jsonl")
    except KeyError as err:
        raise BackupError(texts.BACKUP_TABLE_MISSING.format(name=name)) from err
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise BackupError(texts.BACKUP_TABLE_CHECKSUM.format(name=name))
    rows = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    if len(rows) != info.rows:
        raise BackupError(texts.BACKUP_TABLE_ROWS.format(name=name))
    return rows


def load_archive(path: Path) -> tuple[Manifest, dict[str, list[list[Any]]]]:
    """The manifest and every table's rows of ``path``, checked: format, revision, tables,
    checksums and counts."""
    manifest = read_manifest(path)
    check_restorable(manifest)
    try:
        with zipfile.ZipFile(path) as archive:
            rows = {name: _rows(archive, name, info) for name, info in manifest.tables.items()}
    except (OSError, zipfile.BadZipFile, ValueError) as err:
        raise BackupError(texts.BACKUP_BROKEN.format(path=path)) from err
    return manifest, rows


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per model table of ``engine``'s (migrated) database."""
    layout = _layout()
    with engine.connect() as conn:
        return {
            name: int(
                conn.execute(select(func.count()).select_from(layout.tables[name])).scalar_one()
            )
            for name in layout.order
        }


def prepare_target(engine: Engine) -> None:
    """Bring a restore's target database to this program's schema revision (forward only;
    a new database gets the schema)."""
    from migrations import upgrade

    try:
        upgrade(engine)
    except Exception as err:  # Alembic: a revision it does not know (a newer program's)
        raise BackupError(texts.BACKUP_TARGET_UNKNOWN_REVISION) from err


def restore_backup(engine: Engine, path: Path, *, replace: bool = False) -> Manifest:
    """Load the archive ``path`` into ``engine``'s database, in one transaction.

    The database is migrated first; it must be empty unless ``replace``, which deletes every
    row before loading. Raises :class:`BackupError` (German) and then changes no row.
    """
    manifest, rows = load_archive(path)
    prepare_target(engine)
    layout = _layout()
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as conn:  # leaving it uncommitted rolls everything back
        if postgres:  # nobody writes between our look and our load
            names = ", ".join(f'"{n}"' for n in layout.order)
            conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
        else:  # pysqlite would begin only at the first write, after our look
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        filled = {
            name: n
            for name in layout.order
            if (
                n := int(
                    conn.execute(select(func.count()).select_from(layout.tables[name])).scalar_one()
                )
            )
        }
        if filled and not replace:
            raise BackupError(
                texts.BACKUP_TARGET_NOT_EMPTY.format(rows=sum(filled.values()), tables=len(filled))
            )
        for name in reversed(layout.order):
            conn.execute(delete(layout.tables[name]))
        for name in layout.order:
            _insert(conn, layout, name, rows[name], postgres)
        if postgres:
            _reset_sequences(conn, layout)
        conn.commit()
    return manifest


def _insert(
    conn: Connection, layout: _Layout, name: str, rows: list[list[Any]], postgres: bool
) -> None:
    if not rows:
        return
    table, kinds = layout.tables[name], layout.kinds[name]
    values: dict[str, Any] = {}
    for column, kind in kinds:
        param = bindparam(f"v_{column}", type_=_RAW_TYPES[kind])
        values[column] = cast(param, JSON) if kind == "json" and postgres else param
    statement = insert(table).values(values)
    conn.execute(
        statement,
        [
            {f"v_{c}": decode_value(k, v) for (c, k), v in zip(kinds, row, strict=True)}
            for row in rows
        ],
    )


def _reset_sequences(conn: Connection, layout: _Layout) -> None:
    """Let every serial column continue after its largest value."""
    for name in layout.order:
        for column in layout.tables[name].primary_key.columns:
            if isinstance(column.type, Integer):
                conn.execute(
                    text(
                        f"select setval(pg_get_serial_sequence(:table, :column), "
                        f'coalesce(max("{column.name}"), 1), max("{column.name}") is not null) '
                        f'from "{name}"'
                    ),
                    {"table": f'"{name}"', "column": column.name},
                )


def describe(manifest: Manifest) -> str:
    """One German line about an archive: when, from which database, how many rows."""
    source = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
        manifest.database, manifest.database
    )
    return (
        f"Stand {format_local(manifest.created_at)} ({source}, Schemastand "
        f"{manifest.revision}): {manifest.rows} Zeilen in {len(manifest.tables)} Tabellen"
    )
