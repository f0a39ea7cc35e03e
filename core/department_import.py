"""Department names from a two-column CSV file (``nhr department import``).

The file has one department a line, ``code;name`` or ``code,name``, in UTF-8 (with or without
BOM) or Windows-1252, as a spreadsheet saves it; a header line (``Kürzel;Name``) is skipped.
Every bad line is reported with its number and nothing is saved; otherwise each code is added
(new), given its name (renamed) or left as it is (unchanged). Changes are audited.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import texts
from core.admin import MAX_DEPARTMENT_CODE, MAX_DEPARTMENT_NAME, AdminError, create_department
from core.audit import Auditor
from core.models import Department

_HEADER_CODES = texts.DEPARTMENT_HEADER_CODES


@dataclass(frozen=True)
class DepartmentPlan:
    """What an import does (or, in a dry run, would do)."""

    new: tuple[tuple[str, str], ...]  # (code, name)
    renamed: tuple[tuple[str, str, str], ...]  # (code, old name, new name)
    unchanged: tuple[str, ...]


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a BOM is dropped), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_departments(text: str) -> list[tuple[str, str]]:
    """The (code, name) pairs of the file; an :class:`AdminError` naming every bad line."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if ";" in first else ","
    rows: list[tuple[str, str]] = []
    problems: list[str] = []
    seen: dict[str, tuple[int, str]] = {}
    for number, raw in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        cells = _cells(raw)
        if not cells:
            continue
        if not rows and not problems and not seen and cells[0].lower() in _HEADER_CODES:
            continue
        problem = _row_problem(number, cells, delimiter, seen)
        if problem is not None:
            problems.append(problem)
        elif cells[0] not in seen:
            code, name = cells[0], " ".join(cells[1].split())
            seen[code] = (number, name)
            rows.append((code, name))
    if problems:
        raise AdminError("\n".join([texts.DEPARTMENTS_REFUSED, *problems]))
    if not rows:
        raise AdminError(texts.DEPARTMENTS_NONE)
    return rows


def _cells(raw: list[str]) -> list[str]:
    """A line's cells, stripped, without empty cells at its end (trailing separators)."""
    cells = [c.strip() for c in raw]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _row_problem(
    number: int, cells: list[str], delimiter: str, seen: dict[str, tuple[int, str]]
) -> str | None:
    """Why line ``number`` cannot be taken (None: it can; a line repeating an earlier one
    exactly is fine). ``seen``: the line and name of every code taken so far."""
    if len(cells) != 2:
        return texts.DEPARTMENT_ROW_COLUMNS.format(
            number=number, delimiter=delimiter, found=len(cells)
        )
    code, name = cells[0], " ".join(cells[1].split())
    if not code or not name:
        return texts.DEPARTMENT_ROW_EMPTY.format(number=number)
    if len(code) > MAX_DEPARTMENT_CODE:
        return texts.DEPARTMENT_ROW_CODE_LONG.format(number=number, limit=MAX_DEPARTMENT_CODE)
    if len(name) > MAX_DEPARTMENT_NAME:
        return texts.DEPARTMENT_ROW_NAME_LONG.format(number=number, limit=MAX_DEPARTMENT_NAME)
    if code in seen and seen[code][1] != name:
        return texts.DEPARTMENT_ROW_CONFLICT.format(number=number, code=code, first=seen[code][0])
    return None


def plan_departments(session: Session, rows: list[tuple[str, str]]) -> DepartmentPlan:
    """Compare the rows with the departments table."""
    known = {d.code: d.name for d in session.scalars(select(Department))}
    new: list[tuple[str, str]] = []
    renamed: list[tuple[str, str, str]] = []
    unchanged: list[str] = []
    for code, name in rows:
        if code not in known:
            new.append((code, name))
        elif known[code] != name:
            renamed.append((code, known[code], name))
        else:
            unchanged.append(code)
    return DepartmentPlan(tuple(new), tuple(renamed), tuple(unchanged))


def import_departments(
    session: Session, auditor: Auditor, rows: list[tuple[str, str]]
) -> DepartmentPlan:
    """Add the new departments and give the known ones their names; returns what changed."""
    plan = plan_departments(session, rows)
    for code, name in plan.new:
        create_department(session, auditor, code, name)
    if plan.renamed:
        by_code = {
            d.code: d
            for d in session.scalars(
                select(Department).where(Department.code.in_([c for c, _, _ in plan.renamed]))
            )
        }
        for code, _old, name in plan.renamed:
            auditor.assign(by_code[code], "name", name)
    session.flush()
    return plan
