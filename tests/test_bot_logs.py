"""No log line shows a bot token, whoever logs it (bot.common.logs)."""

from __future__ import annotations

import logging

import pytest

from bot.common.logs import api_base_url, hide_token, keep_out_of_logs

SECRET = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # the shape of a real token's secret


def test_a_token_shaped_text_is_made_unreadable_even_if_unknown() -> None:
    url = f"https://api.telegram.org/bot123456789:{SECRET}/getMe"

    assert hide_token(url) == "https://api.telegram.org/bot123456789:***/getMe"
    assert hide_token(f"token {123456789}:{SECRET} rejected") == "token 123456789:*** rejected"
    assert hide_token("http://127.0.0.1:8081/bot42:short/getMe") == (
        "http://127.0.0.1:8081/bot42:***/getMe"
    )
    assert hide_token("16.06.2025, 10:00 user 1001: text -> changes (3.1 ms)") == (
        "16.06.2025, 10:00 user 1001: text -> changes (3.1 ms)"
    )


def test_the_api_base_url_is_shown_without_the_token() -> None:
    assert api_base_url("https://api.telegram.org/bot1:X", "1:X") == "https://api.telegram.org/bot"


def test_a_known_token_is_hidden_in_every_record_and_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    keep_out_of_logs("777:tiny")
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("some.library")

    log.debug("calling %s", "http://api.local/bot777:tiny/getUpdates")
    try:
        raise ValueError("The token `777:tiny` was rejected by the server.")
    except ValueError:
        log.exception("start failed")

    assert "tiny" not in caplog.text
    assert "calling http://api.local/bot777:***/getUpdates" in caplog.text
    assert "The token `777:***` was rejected" in caplog.text
