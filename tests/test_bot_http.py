"""The bot's Bot API client (bot/http.py): PTB's errors for network failures and timeouts."""

from __future__ import annotations

import asyncio
import socket

import pytest
from support.fake_bot_api import FakeBotApi
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData

from bot.common.http import AiohttpRequest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_refused_connection_is_a_network_error() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.do_request(f"http://127.0.0.1:{free_port()}/botX/getMe", "POST")
    finally:
        await request.shutdown()


async def test_a_server_that_does_not_answer_is_a_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1)  # take the request, never answer

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"http://127.0.0.1:{port}/botX/getMe", "POST", RequestData())
    finally:
        await request.shutdown()
        server.close()
        await server.wait_closed()


async def test_it_answers_with_status_and_body_and_needs_initializing() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        body = b'{"ok":true,"result":true}'
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest()
    url = f"http://127.0.0.1:{port}/botX/getMe"
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(url, "POST")
    await request.initialize()
    try:
        assert await request.do_request(url, "POST") == (200, b'{"ok":true,"result":true}')
    finally:
        await request.shutdown()
        server.close()
        await server.wait_closed()


async def test_parameters_arrive_as_sent_text_markup_and_flags() -> None:
    """A call without files goes out as a JSON body: text with every kind of character, the
    keyboard and the flags arrive as the bot meant them (the fake parses it like Telegram)."""
    text = "<b>Größe &amp; „Maß“</b> 😀 a+b=c %20 ~-._ \\ \"q\" 'x'\nZeile 2"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Zurück ↩", callback_data="c:1")]])
    async with FakeBotApi() as api:
        anna = api.user(7, "Anna")
        bot = Bot(api.token, base_url=api.base_url, request=AiohttpRequest())
        async with bot:
            await bot.send_message(7, text, parse_mode="HTML", reply_markup=markup)
    last = anna.last
    assert last.raw_text == text
    assert last.text == "Größe & „Maß“ 😀 a+b=c %20 ~-._ \\ \"q\" 'x'\nZeile 2"
    assert last.parse_mode == "HTML"
    assert last.reply_markup == markup.to_dict()
