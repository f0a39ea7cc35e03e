"""The deployment files in deploy/ work as the README says: the systemd units pass
``systemd-analyze verify`` without a warning and are hardened, the program runs under the
kernel's memory-deny-write-execute, the settings example names every setting and loads, the
reverse proxy hands Telegram's webhook to the bot, and deploy/test-install.sh installs into a
temporary root."""

from __future__ import annotations

import asyncio
import configparser
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.unavailable import unavailable

from core.config import Settings
from scheduler.settings import ScheduleSettings

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
UNITS = ("nhr.service", "nhr-site.service", "nhr-site.timer")


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        unavailable("systemd-analyze missing (Debian package systemd)")
    return found


def staging_root(tmp_path: Path, units: dict[str, str]) -> Path:
    """A root with the system's own units, ours in /etc/systemd/system and a stand-in for the
    program they start (verify checks that ExecStart is an executable)."""
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    program = root / "opt/nhr/venv/bin/nhr"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    etc = root / "etc/systemd/system"
    etc.mkdir(parents=True)
    for name, text in units.items():
        (etc / name).write_text(text)
    return root


def verify(tmp_path: Path, units: dict[str, str]) -> subprocess.CompletedProcess[str]:
    root = staging_root(tmp_path, units)
    return subprocess.run(
        [systemd_analyze(), "verify", "--man=no", f"--root={root}", *units],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def our_units() -> dict[str, str]:
    return {name: (DEPLOY / name).read_text(encoding="utf-8") for name in UNITS}


def test_the_units_pass_systemd_analyze_verify_without_a_warning(tmp_path: Path) -> None:
    result = verify(tmp_path, our_units())
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == ""


def test_verify_would_catch_a_misspelt_hardening_option(tmp_path: Path) -> None:
    units = our_units()
    units["nhr.service"] = units["nhr.service"].replace("ProtectSystem=", "ProtectSystm=")
    result = verify(tmp_path, units)
    assert "Unknown key 'ProtectSystm'" in result.stderr


def service(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign] # keys keep their case
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser["Service"]


@pytest.mark.parametrize("name", ["nhr.service", "nhr-site.service"])
def test_the_services_run_as_their_own_user_in_a_read_only_system(name: str) -> None:
    unit = service(name)
    assert (unit["User"], unit["Group"]) == ("nhr", "nhr")
    assert unit["EnvironmentFile"] == "/etc/nhr/nhr.env"
    assert unit["ExecStart"].startswith("/opt/nhr/venv/bin/nhr ")
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "ReadWritePaths": "/var/lib/nhr",
        "CapabilityBoundingSet": "",
        "MemoryDenyWriteExecute": "yes",
        "SystemCallFilter": "@system-service",
        "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
    }.items():
        assert unit[key] == value, key


def test_the_service_restarts_after_a_failure() -> None:
    unit = service("nhr.service")
    assert unit["ExecStart"] == "/opt/nhr/venv/bin/nhr run"
    assert unit["Restart"] == "on-failure"


def test_systemd_rates_the_services_exposure_as_ok(tmp_path: Path) -> None:
    root = staging_root(tmp_path, our_units())
    for name in ("nhr.service", "nhr-site.service"):
        result = subprocess.run(
            [systemd_analyze(), "security", "--offline=yes", f"--root={root}", name],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        match = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
        assert match, result.stdout + result.stderr
        assert float(match.group(1)) <= 2.0, result.stdout


# -- memory-deny-write-execute ------------------------------------------------------------------

#: prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN): what MemoryDenyWriteExecute=yes enforces.
MDWE_CHILD = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(65, 1, 0, 0, 0) != 0:
    sys.exit(f"prctl: {os.strerror(ctypes.get_errno())}")
import mmap
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
except OSError:
    pass
else:
    sys.exit("write+execute memory was not refused")
from nhr.cli import main
code = main(["demo"])
url = os.environ.get("NHR_MDWE_POSTGRES")
if url:
    import sqlalchemy
    with sqlalchemy.create_engine(url).connect() as conn:
        conn.execute(sqlalchemy.text("select 1"))
import aiohttp, ssl, telegram  # the bot's HTTP stack
ssl.create_default_context()
sys.exit(code)
"""


@pytest.mark.slow
def test_the_program_renders_under_memory_deny_write_execute(tmp_path: Path) -> None:
    release = tuple(int(p) for p in re.findall(r"\d+", platform.release())[:2])
    if sys.platform != "linux" or release < (6, 3):
        pytest.skip("prctl(PR_SET_MDWE) needs Linux 6.3")
    from conftest import _find_postgres

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'nhr.sqlite3'}",
        "OUTPUT_DIR": str(tmp_path / "out"),
        "NHR_MDWE_POSTGRES": _find_postgres() or "",
    }
    result = subprocess.run(
        [sys.executable, "-c", MDWE_CHILD],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".html", ".pdf"]


# -- settings, reverse proxy --------------------------------------------------------------------


def example_keys() -> set[str]:
    text = (DEPLOY / "nhr.env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def test_the_settings_example_names_every_setting() -> None:
    settings = {name.upper() for name in Settings.model_fields if name != "schedule"}
    settings |= {f"SCHEDULE_{name.upper()}" for name in ScheduleSettings.model_fields}
    missing = sorted(settings - example_keys())
    assert not missing, f"deploy/nhr.env.example does not name {', '.join(missing)}"


def test_the_settings_example_loads_and_holds_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in example_keys():
        monkeypatch.delenv(key, raising=False)
    shutil.copy(DEPLOY / "nhr.env.example", tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert not settings.telegram_bot_token and settings.webhook_url is None
    assert settings.publisher_logo is None and settings.publisher_name == "Kreis Soest"
    assert settings.database_url.startswith("postgresql+psycopg://nhr@/nhr")
    assert settings.retention_days_after_round == 90
    assert ScheduleSettings().config().reminders


def test_the_reverse_proxy_hands_the_webhook_and_nothing_else_to_the_bot() -> None:
    conf = (DEPLOY / "nginx-nhr.conf").read_text(encoding="utf-8")
    listens = {int(p) for p in re.findall(r"^\s*listen (?:\[::\]:)?(\d+)", conf, re.MULTILINE)}
    assert listens <= {443, 80, 88, 8443}  # the ports Telegram delivers webhooks to
    env = (DEPLOY / "nhr.env.example").read_text(encoding="utf-8")
    port = re.search(r"^WEBHOOK_PORT=(\d+)$", env, re.MULTILINE)
    listen = re.search(r"^WEBHOOK_LISTEN=(\S+)$", env, re.MULTILINE)
    assert port and listen
    webhook = re.search(r"location (/telegram/) \{(.*?)\n    \}", conf, re.DOTALL)
    assert webhook, "no webhook location"
    assert f"proxy_pass http://{listen.group(1)}:{port.group(1)};" in webhook.group(2)
    url = re.search(r"^#WEBHOOK_URL=https://[^/]+(/\S+)$", env, re.MULTILINE)
    assert url and url.group(1).startswith(webhook.group(1))
    assert "ssl_certificate " in conf and "return 404" in conf
    assert "proxy_set_header X-Telegram-Bot-Api-Secret-Token" not in conf  # passed as sent


@pytest.mark.slow
async def test_a_fresh_install_following_the_readme_ends_with_nhr_doctor_all_green(
    tmp_path: Path,
) -> None:
    """deploy/test-install.sh: install.sh twice into a staging root, the admin command, and
    ``nhr doctor`` against the fake Bot API."""
    from support.fake_bot_api import FakeBotApi

    env = {**os.environ, "NHR_TEST_PYTHON": sys.executable}
    for key in (
        "DATABASE_URL",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "OUTPUT_DIR",
        "BACKUP_DIR",
        "FONT_DIRS",
    ):
        env.pop(key, None)
    token = "7012345678:AAHk3x9_Zq-TestTokenOfTheRightForm12"
    async with FakeBotApi(token=token) as api:
        env |= {"NHR_TEST_BOT_TOKEN": token, "NHR_TEST_API_BASE_URL": api.base_url}
        process = await asyncio.create_subprocess_exec(
            "sh",
            str(DEPLOY / "test-install.sh"),
            str(tmp_path / "root"),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(process.communicate(), timeout=600)
    text = output.decode()
    assert process.returncode == 0, text
    assert "Noch keine Personen." in text
    assert "✗" not in text and "Bot-Token" in text
    assert "test-install.sh: ok" in text
