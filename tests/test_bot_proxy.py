"""The bot reaches the Bot API through the outbound proxy named in the environment
(``HTTPS_PROXY`` for https://api.telegram.org, ``HTTP_PROXY`` for http), as the README says."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp import web
from support.fake_bot_api import FakeBotApi
from telegram import Bot

from bot.common.http import AiohttpRequest


@asynccontextmanager
async def forwarding_proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """A plain HTTP forward proxy on loopback: it notes each request's target and passes it on."""
    seen: list[str] = []
    client = aiohttp.ClientSession()  # trust_env=False: it must not proxy to itself

    async def forward(request: web.Request) -> web.Response:
        seen.append(str(request.url))
        async with client.request(
            request.method,
            request.url,
            data=await request.read(),
            headers={"Content-Type": request.content_type},
        ) as answer:
            return web.Response(
                status=answer.status, body=await answer.read(), content_type=answer.content_type
            )

    app = web.Application()
    app.router.add_route("*", "/{path:.*}", forward)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()
        await client.close()


async def test_the_bot_talks_to_telegram_through_the_proxy_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("NO_PROXY", "no_proxy", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    async with FakeBotApi() as api, forwarding_proxy() as (proxy, seen):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("HTTPS_PROXY", proxy)
        bot = Bot(
            api.token,
            base_url=api.base_url,
            request=AiohttpRequest(),
            get_updates_request=AiohttpRequest(),
        )
        async with bot:
            assert bot.username == api.me["username"]
    assert any(target.endswith("/getMe") for target in seen), seen
