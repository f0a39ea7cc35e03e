"""``nhr`` starts light: ``--help`` and ``render --format html`` import only what they use.

Start-up *time* is measured by bench/bench_startup.py (no timed assertions here); these tests
check the imports that make it fast, and that the lazily listed commands stay in step with the
modules that register them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nhr import cli

HEAVY = (
    "sqlalchemy",
    "pydantic",
    "babel",
    "typst",
    "docx",
    "lxml",
    "telegram",
    "apscheduler",
    "alembic",
    "hypothesis",
)


def _imported_after(argv: list[str]) -> set[str]:
    """Top-level packages imported by ``nhr ARGV`` (run in a fresh interpreter)."""
    code = (
        "import json, sys\n"
        "from nhr.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stdout = sys.__stdout__\n"
        "print('\\n' + json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.slow
def test_help_imports_no_heavy_library() -> None:
    assert not _imported_after(["--help"]) & set(HEAVY)


def test_the_lazy_help_lists_each_command_as_its_module_does() -> None:
    assert cli.build_parser([]).format_help() == cli.build_parser().format_help()


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(cli.LAZY_COMMANDS))
def test_a_lazy_command_gets_its_real_parser(command: str) -> None:
    lazy = _commands(cli.build_parser([command]))[command]
    assert lazy.format_help() == _commands(cli.build_parser())[command].format_help()
    assert "-h, --help" in lazy.format_help()


@pytest.mark.slow
def test_rendering_html_imports_neither_typst_nor_python_docx() -> None:
    from core import render

    code = (
        "import sys\n"
        "from core.documents import render_documents\n"
        "from core.render import render_html\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typst', 'docx'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert callable(render.render_pdf) and callable(render.render_docx)


def test_the_head_read_from_the_scripts_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from migrations import MIGRATIONS_DIR, alembic_config, head_revision

    assert MIGRATIONS_DIR.is_dir()
    assert (
        head_revision()
        == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    )


@pytest.mark.slow
def test_a_database_at_the_head_is_not_migrated_again_and_needs_no_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nhr.sqlite3'}"
    code = (
        "import sys\n"
        "from core.db import make_engine\n"
        "from migrations import current_revision, head_revision, upgrade\n"
        f"engine = make_engine({url!r})\n"
        "upgrade(engine)\n"  # a new database: Alembic creates the schema
        "assert current_revision(engine) == head_revision()\n"
        "for name in [m for m in sys.modules if m.split('.')[0] == 'alembic']:\n"
        "    del sys.modules[name]\n"
        "upgrade(engine)\n"  # at the head: nothing to do
        "print(any(m.split('.')[0] == 'alembic' for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
