"""The fake Bot API behaves like Telegram for python-telegram-bot, over real HTTP."""

from __future__ import annotations

import asyncio
import html
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st
from support import fixtures
from support.bot_harness import eventually
from support.fake_bot_api import AnsweredCallback, ApiError, FakeBotApi
from support.ptb_polling import polling
from support.telegram_html import parse_html, utf16_len
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MenuButtonCommands,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

api = fixtures.fake_bot_api  # the shared fixture under a short name

ANNA = 1001


@pytest_asyncio.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """A python-telegram-bot client pointed at the fake server."""
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


def yes_no() -> InlineKeyboardMarkup:
    """Two buttons, as a bot would offer them."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Ja", callback_data="yes"),
                InlineKeyboardButton("Nein", callback_data="no"),
            ]
        ]
    )


# -- the client's view -------------------------------------------------------------------------


async def test_get_me_returns_the_test_bot(bot: Bot) -> None:
    me = await bot.get_me()

    assert me.username == "nhr_test_bot"
    assert me.is_bot
    assert me.can_join_groups


async def test_an_html_message_with_inline_keyboard_reaches_the_user_as_plain_text_and_buttons(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")

    sent = await bot.send_message(
        ANNA,
        "<b>Projekt 1.2</b> &amp; mehr – weiter?",
        parse_mode=ParseMode.HTML,
        reply_markup=yes_no(),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        disable_notification=True,
    )

    assert sent.text == "Projekt 1.2 & mehr – weiter?"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == len("Projekt 1.2")
    assert sent.reply_markup == yes_no()
    assert sent.chat.id == ANNA and sent.from_user is not None and sent.from_user.is_bot
    seen = anna.last
    assert (seen.text, seen.parse_mode, seen.edited) == (sent.text, "HTML", False)
    assert anna.buttons(seen) == [("Ja", "yes"), ("Nein", "no")]
    assert seen.disable_notification
    assert seen.link_preview_options == {"is_disabled": True}


async def test_messages_in_a_chat_get_increasing_ids_shared_with_the_users_messages(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")

    first = await bot.send_message(ANNA, "eins")
    users = await anna.send("zwei")
    second = await bot.send_message(ANNA, "drei")

    assert (first.message_id, users, second.message_id) == (1, 2, 3)


async def test_a_reply_keyboard_is_shown_until_the_bot_removes_it(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")

    await bot.send_message(ANNA, "Status?", reply_markup=ReplyKeyboardMarkup([["läuft", "fertig"]]))
    shown = anna.reply_keyboard
    await bot.send_message(ANNA, "Danke", reply_markup=ReplyKeyboardRemove())

    assert shown == [["läuft", "fertig"]]
    assert anna.reply_keyboard is None


async def test_editing_replaces_the_text_and_drops_the_keyboard_when_none_is_given(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")
    question = await bot.send_message(ANNA, "Weiter?", reply_markup=yes_no())

    edited = await bot.edit_message_text(
        "Gespeichert", chat_id=ANNA, message_id=question.message_id
    )

    assert isinstance(edited, Message) and edited.edit_date is not None
    assert [m.text for m in anna.messages] == ["Weiter?", "Gespeichert"]
    assert anna.last.edited and anna.last.reply_markup is None
    assert [m.text for m in anna.current_messages] == ["Gespeichert"]


async def test_an_edit_that_changes_nothing_is_rejected_as_not_modified(
    api: FakeBotApi, bot: Bot
) -> None:
    api.user(ANNA, "Anna")
    question = await bot.send_message(ANNA, "Weiter?", reply_markup=yes_no())

    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(
            "Weiter?", chat_id=ANNA, message_id=question.message_id, reply_markup=yes_no()
        )
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(ANNA, question.message_id, reply_markup=yes_no())


async def test_an_answered_button_press_is_recorded_once(api: FakeBotApi, bot: Bot) -> None:
    anna = api.user(ANNA, "Anna")
    question = await bot.send_message(ANNA, "Weiter?", reply_markup=yes_no())
    query_id = await anna.press(question.message_id, "yes")

    await bot.answer_callback_query(query_id, text="Gespeichert")

    assert anna.answered_callbacks == [
        AnsweredCallback(query_id, "yes", "Gespeichert", False, None)
    ]
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)


async def test_a_callback_answer_longer_than_200_characters_is_rejected(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")
    question = await bot.send_message(ANNA, "Weiter?", reply_markup=yes_no())
    query_id = await anna.press_button(question.message_id, "Nein")

    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query_id, text="x" * 201)


async def test_a_document_arrives_with_its_name_size_bytes_and_caption(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")

    sent = await bot.send_document(
        ANNA,
        document=b"%PDF-1.7 fake",
        filename="bericht-2025.pdf",
        caption="Bericht <b>2025</b>",
        parse_mode=ParseMode.HTML,
    )

    assert sent.document is not None and sent.document.file_name == "bericht-2025.pdf"
    [document] = anna.documents
    assert (document.filename, document.size, document.content) == (
        "bericht-2025.pdf",
        13,
        b"%PDF-1.7 fake",
    )
    assert document.caption == "Bericht 2025" == anna.last.text
    assert document.mime_type == "application/pdf"


async def test_a_document_the_user_uploads_can_be_downloaded_by_the_bot(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")
    await anna.send_document("ausgabe.txt", b"Kapitel 1", caption="neu")

    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    file = await bot.get_file(update.message.document.file_id)

    assert await file.download_as_bytearray() == bytearray(b"Kapitel 1")
    assert update.message.caption == "neu"


async def test_chat_actions_deletion_and_chat_info_work_on_the_users_chat(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna", username="anna_s")
    note = await bot.send_message(ANNA, "kurz")

    await bot.send_chat_action(ANNA, ChatAction.TYPING)
    await bot.delete_message(ANNA, note.message_id)
    chat = await bot.get_chat(ANNA)

    assert anna.chat_actions == ["typing"]
    assert anna.deleted_message_ids == [note.message_id] and anna.current_messages == []
    assert (chat.first_name, chat.username, chat.type) == ("Anna", "anna_s", "private")
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ANNA, note.message_id)


async def test_commands_webhook_and_menu_button_are_recorded(api: FakeBotApi, bot: Bot) -> None:
    await bot.set_my_commands(
        [BotCommand("start", "Beginnen"), BotCommand("stand", "Stand melden")]
    )
    await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    await bot.set_webhook("https://bot.invalid/hook")

    assert [c.command for c in await bot.get_my_commands()] == ["start", "stand"]
    assert api.commands()[0] == {"command": "start", "description": "Beginnen"}
    assert api.menu_button() == {"type": "commands"}
    assert (await bot.get_webhook_info()).url == api.webhook_url == "https://bot.invalid/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert (await bot.get_webhook_info()).url == ""


# -- polling -------------------------------------------------------------------------------------


async def test_get_updates_honours_offset_and_limit(api: FakeBotApi, bot: Bot) -> None:
    anna = api.user(ANNA, "Anna")
    for text in ("a", "b", "c"):
        await anna.send(text)

    first = await bot.get_updates(limit=2)
    again = await bot.get_updates(limit=2)
    rest = await bot.get_updates(offset=first[-1].update_id + 1)

    assert [u.message.text for u in first if u.message] == ["a", "b"]
    assert again == first  # not confirmed yet
    assert [u.message.text for u in rest if u.message] == ["c"]
    assert api.pending_update_count == 1


async def test_get_updates_drops_update_types_the_bot_did_not_ask_for(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")
    question = await bot.send_message(ANNA, "Weiter?", reply_markup=yes_no())
    await bot.get_updates(allowed_updates=["callback_query"])

    await anna.send("ignoriert")
    await anna.press(question, "no")
    updates = await bot.get_updates()

    assert [u.callback_query.data for u in updates if u.callback_query] == ["no"]
    assert len(updates) == 1


async def test_a_long_poll_returns_as_soon_as_the_user_writes(api: FakeBotApi, bot: Bot) -> None:
    anna = api.user(ANNA, "Anna")
    polls = api.polls_started
    poll = asyncio.create_task(bot.get_updates(timeout=60))
    await eventually(lambda: api.polls_started > polls)  # the poll waits at the server

    assert not poll.done()
    await anna.send("hallo")
    # a generous bound, far from any machine's speed: the poll itself would wait 60 s
    updates = await asyncio.wait_for(poll, timeout=30)

    assert [u.message.text for u in updates if u.message] == ["hallo"]


async def test_a_long_poll_without_updates_ends_after_its_timeout(bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()

    updates = await bot.get_updates(timeout=timedelta(milliseconds=200))

    assert updates == ()  # the server ended it (a hanging poll fails with PTB's read timeout)
    assert loop.time() - started >= 0.2  # not before its timeout (a lower bound: load only adds)


async def test_an_application_answers_start_and_a_button_press_end_to_end(api: FakeBotApi) -> None:
    async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Greets and asks whether to go on."""
        assert update.effective_message is not None
        await update.effective_message.reply_html("<b>Hallo!</b> Weiter?", reply_markup=yes_no())

    async def record_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Confirms the choice in place of the question."""
        query = update.callback_query
        assert query is not None
        await query.answer("Gespeichert")
        await query.edit_message_text(f"Antwort: {query.data}")

    application = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", greet))
    application.add_handler(CallbackQueryHandler(record_choice))
    anna = api.user(ANNA, "Anna")

    async with polling(application):
        await anna.send("/start")
        greeting = await anna.wait_for_message(timeout=2)
        await anna.press(greeting, "yes")
        answer = await anna.wait_for_message(timeout=2)

    assert greeting.text == "Hallo! Weiter?"
    assert anna.buttons(greeting) == [("Ja", "yes"), ("Nein", "no")]
    assert (answer.message_id, answer.edited, answer.text) == (
        greeting.message_id,
        True,
        "Antwort: yes",
    )
    assert [a.text for a in anna.answered_callbacks] == ["Gespeichert"]


# -- errors Telegram gives -----------------------------------------------------------------------


async def test_injected_flood_control_surfaces_as_retry_after(
    api: FakeBotApi, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # retry_after as timedelta, without warnings
    api.user(ANNA, "Anna")
    api.inject_429(every_n=2, retry_after=3)

    await bot.send_message(ANNA, "eins")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ANNA, "zwei")
    await bot.send_message(ANNA, "drei")

    assert caught.value.retry_after == timedelta(seconds=3)
    assert [c.status for c in api.sent_log if c.method == "sendMessage"] == [200, 429, 200]


async def test_a_fault_policy_decides_per_method_and_chat(
    api: FakeBotApi, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.user(ANNA, "Anna")
    api.user(ANNA + 1, "Ben")
    api.set_fault_policy(
        lambda method, chat_id: ApiError.too_many_requests(1) if chat_id == ANNA + 1 else None
    )

    await bot.send_message(ANNA, "geht")
    with pytest.raises(RetryAfter):
        await bot.send_message(ANNA + 1, "geht nicht")
    api.clear_faults()
    await bot.send_message(ANNA + 1, "geht wieder")


async def test_sending_to_a_user_who_blocked_the_bot_is_forbidden(
    api: FakeBotApi, bot: Bot
) -> None:
    api.user(ANNA, "Anna")
    api.block(ANNA)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ANNA, "Erinnerung")
    api.unblock(ANNA)
    await bot.send_message(ANNA, "Erinnerung")


async def test_a_message_longer_than_4096_characters_after_parsing_is_rejected(
    api: FakeBotApi, bot: Bot
) -> None:
    api.user(ANNA, "Anna")

    await bot.send_message(ANNA, "x" * 4096)
    await bot.send_message(ANNA, f"<b>{'x' * 4096}</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ANNA, "x" * 4097)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ANNA, "&lt;" * 4097, parse_mode=ParseMode.HTML)


async def test_callback_data_longer_than_64_bytes_is_rejected(api: FakeBotApi, bot: Bot) -> None:
    api.user(ANNA, "Anna")

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Los", callback_data=data)]])

    await bot.send_message(ANNA, "64 Bytes", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(ANNA, "65 Bytes", reply_markup=keyboard("x" * 65))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(ANNA, "33 Umlaute", reply_markup=keyboard("ä" * 33))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<blink>neu</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("<b>fett", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>fett</i>", 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("3 < 4", 'Unsupported start tag "" at byte offset 2'),
        ("Müller & Söhne", 'Character "&" must be escaped as "&amp;" at byte offset 8'),
        ('<span class="rot">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
async def test_invalid_html_is_rejected_with_the_reason(
    api: FakeBotApi, bot: Bot, text: str, reason: str
) -> None:
    anna = api.user(ANNA, "Anna")

    with pytest.raises(BadRequest) as caught:
        await bot.send_message(ANNA, text, parse_mode=ParseMode.HTML)

    assert caught.value.message.lower() == f"can't parse entities: {reason}".lower()
    assert anna.messages == []


async def test_a_wrong_token_or_an_unknown_method_is_refused(api: FakeBotApi, bot: Bot) -> None:
    stranger = Bot("999:WRONG", base_url=api.base_url)
    try:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            await stranger.initialize()
    finally:
        await stranger.shutdown()

    with pytest.raises(EndPointNotFound):  # PTB's name for a 404 answer
        await bot.do_api_request("frobnicate")
    assert [(c.method, c.status) for c in api.sent_log][-2:] == [
        ("getMe", 401),
        ("frobnicate", 404),
    ]


async def test_sending_to_a_chat_nobody_opened_is_rejected(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(4242, "Hallo?")


# -- what tests and benchmarks read --------------------------------------------------------------


async def test_waiting_in_vain_lists_what_the_bot_sent_and_what_failed(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")
    await bot.send_message(ANNA, "Erste Nachricht")
    await anna.wait_for_message()
    with pytest.raises(BadRequest):
        await bot.send_message(ANNA, "<p>zweite</p>", parse_mode=ParseMode.HTML)

    with pytest.raises(AssertionError) as caught:
        await anna.wait_for_message(timeout=0.05)

    report = str(caught.value)
    assert "no new bot message within 0.05 s" in report
    assert "#1 sent: 'Erste Nachricht'" in report
    assert "sendMessage -> Bad Request: can't parse entities" in report


async def test_pressing_a_button_the_message_does_not_show_fails_the_test(
    api: FakeBotApi, bot: Bot
) -> None:
    anna = api.user(ANNA, "Anna")
    question = await bot.send_message(ANNA, "Weiter?", reply_markup=yes_no())

    with pytest.raises(AssertionError, match="no button with callback_data 'vielleicht'"):
        await anna.press(question, "vielleicht")


async def test_the_sent_log_records_time_method_and_chat_of_every_request(
    api: FakeBotApi, bot: Bot
) -> None:
    api.user(ANNA, "Anna")
    api.user(ANNA + 1, "Ben")

    for chat_id in (ANNA, ANNA + 1, ANNA):
        await bot.send_message(chat_id, "Hallo")

    sends = [c for c in api.sent_log if c.method == "sendMessage"]
    assert [c.chat_id for c in sends] == [ANNA, ANNA + 1, ANNA]
    assert all(a.at <= b.at for a, b in itertools.pairwise(sends))
    assert all(c.status == 200 for c in sends)
    assert (api.peak_rate(), api.peak_rate(chat_id=ANNA), api.peak_rate(window=1e-9)) == (3, 2, 1)


# -- the HTML parser on its own ------------------------------------------------------------------


@given(st.text())
def test_escaped_text_parses_back_to_itself_without_entities(text: str) -> None:
    parsed = parse_html(html.escape(text))

    assert parsed.text == text
    assert parsed.entities == ()


@given(st.text(min_size=1))
def test_a_bold_tag_covers_its_text_in_utf16_units(text: str) -> None:
    parsed = parse_html(f"x<b>{html.escape(text)}</b>")

    assert parsed.entities == ({"offset": 1, "length": utf16_len(text), "type": "bold"},)


def test_nested_tags_links_and_code_blocks_become_entities() -> None:
    parsed = parse_html(
        '😀 <a href="https://kreis-soest.de?a=1&amp;b=2">Kreis</a> '
        '<pre><code class="language-python">x = 1</code></pre> '
        "<blockquote expandable>lang</blockquote>"
    )

    assert parsed.text == "😀 Kreis x = 1 lang"
    assert parsed.entities == (
        {"offset": 3, "length": 5, "type": "text_link", "url": "https://kreis-soest.de?a=1&b=2"},
        {"offset": 9, "length": 5, "type": "pre", "language": "python"},
        {"offset": 15, "length": 4, "type": "expandable_blockquote"},
    )
