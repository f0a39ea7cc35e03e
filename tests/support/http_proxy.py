"""A forwarding HTTP proxy on loopback that records what passes through it.

For plain ``http://`` targets (the fake Bot API) a client sends its requests to the proxy in
absolute form (``POST http://127.0.0.1:PORT/bot…/getMe``); the proxy forwards each one and
returns the answer. Tests point ``HTTP_PROXY`` at :attr:`LoopbackProxy.url` and check
:attr:`LoopbackProxy.seen`::

    async with LoopbackProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        ...
        assert proxy.methods() >= {"getMe", "getUpdates"}
"""

from __future__ import annotations

from types import TracebackType

import aiohttp
from aiohttp import web

# Hop-by-hop headers (RFC 9110 7.6.1) and those aiohttp sets itself.
_NOT_FORWARDED = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)


class LoopbackProxy:
    """An HTTP forward proxy on 127.0.0.1 (a free port); ``seen`` holds every request's
    absolute URL, in order."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self._url: str | None = None

    async def __aenter__(self) -> LoopbackProxy:
        self._client = aiohttp.ClientSession(trust_env=False, auto_decompress=False)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the value for ``HTTP_PROXY``."""
        assert self._url is not None, "use `async with LoopbackProxy() as proxy`"
        return self._url

    def methods(self) -> set[str]:
        """The last path segment of every forwarded request (Bot API method names)."""
        return {url.rstrip("/").rsplit("/", 1)[-1] for url in self.seen}

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        if not request.raw_path.startswith(("http://", "https://")):
            return web.Response(status=400, text="not a proxy request (no absolute URL)")
        target = request.url  # the absolute URL the client asked for
        self.seen.append(str(target))
        assert self._client is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _NOT_FORWARDED}
        async with self._client.request(
            request.method,
            target,
            headers=headers,
            data=await request.read(),
            allow_redirects=False,
        ) as upstream:
            body = await upstream.read()
            answer = {k: v for k, v in upstream.headers.items() if k.lower() not in _NOT_FORWARDED}
            return web.Response(status=upstream.status, body=body, headers=answer)
