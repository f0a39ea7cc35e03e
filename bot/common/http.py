"""The bot's HTTP client for the Bot API: python-telegram-bot's request interface on aiohttp.

PTB's default client (httpx over httpcore and anyio, all pure Python) spends about 0.8 ms of CPU
on one Bot API call; aiohttp (C-accelerated HTTP parsing, one layer) about 0.25 ms. A button
press costs three calls (the update's share of ``getUpdates``, the answer and the new screen),
so the client was the largest part of the bot's CPU per update (see ``bench/bench_bot.py``).

Same behaviour as PTB's ``HTTPXRequest`` except for the encoding of a call without files: a
JSON body (``RequestData.json_payload``, one C-accelerated ``json.dumps``; the Bot API takes
``application/json`` with the same string values as a form) instead of form encoding, whose
pure-Python percent-encoding of each message's text cost about a twentieth of the bot's CPU.
Multipart with files, the same default timeouts, :class:`telegram.error.TimedOut` and
:class:`telegram.error.NetworkError`, and the standard proxy variables (``HTTPS_PROXY``,
``HTTP_PROXY``, ``NO_PROXY``, also in lower case) as httpx honours them: behind a proxy the bot
reaches Telegram through it. The proxy is looked up once per host, not per call (aiohttp's
``trust_env`` would read the environment and ``~/.netrc`` in a worker thread on every call).
"""

from __future__ import annotations

import asyncio
import urllib.request
from urllib.parse import unquote, urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

Route = tuple[str | None, aiohttp.BasicAuth | None]  # the proxy (None: direct) and its login
_JSON_BODY = {"Content-Type": "application/json"}


def _seconds(timeout: object, default: float | None) -> float | None:
    """A timeout as PTB passes it: ``default`` when not set (``BaseRequest.DEFAULT_NONE``, which
    PTB's documentation says to compare with ``is``), else its value (None: no limit)."""
    if timeout is BaseRequest.DEFAULT_NONE:
        return default
    if timeout is None or isinstance(timeout, int | float):
        return timeout
    raise TypeError(f"not a timeout: {timeout!r}")


class AiohttpRequest(BaseRequest):
    """Bot API calls over one pooled :class:`aiohttp.ClientSession` (keep-alive), through the
    proxy the environment names (:meth:`proxy_for`, read when the session opens)."""

    def __init__(
        self,
        *,
        pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._routes: dict[str, Route] = {}  # by scheme://host[:port]

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            self._routes = {}
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                # the proxy comes from _route (the environment, read once per host); aiohttp's
                # own trust_env would read it and ~/.netrc in a worker thread on every call
                trust_env=False,
            )

    @staticmethod
    def proxy_for(url: str) -> str | None:
        """The proxy a call to ``url`` goes through, as the environment says (``HTTPS_PROXY``
        or ``HTTP_PROXY`` by the URL's scheme, hosts in ``NO_PROXY`` go direct; lower-case
        names too, as urllib, httpx and aiohttp read them); None for a direct connection."""
        parts = urlsplit(url)
        if parts.hostname and urllib.request.proxy_bypass(parts.hostname):
            return None
        proxy = urllib.request.getproxies().get(parts.scheme)
        if not proxy:
            return None
        return proxy if "://" in proxy else f"http://{proxy}"

    def _route(self, url: str) -> Route:
        origin = url[: url.find("/", url.find("//") + 2)]
        route = self._routes.get(origin)
        if route is None:
            proxy = self.proxy_for(url)
            parts = urlsplit(proxy) if proxy else None
            if parts is not None and parts.username is not None:  # http://user:secret@host:port
                auth = aiohttp.BasicAuth(unquote(parts.username), unquote(parts.password or ""))
                route = (parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl(), auth)
            else:
                route = (proxy, None)
            self._routes[origin] = route
        return route

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        # PTB types these with a private alias (ODVInput: a float, None or DEFAULT_NONE)
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One call: the status code and the body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = _seconds(read_timeout, self._read_timeout)
        write = _seconds(write_timeout, self._media_write_timeout if files else self._write_timeout)
        connect = _seconds(connect_timeout, self._connect_timeout)
        pool = _seconds(pool_timeout, self._pool_timeout)
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            # aiohttp has no write timeout: the whole call gets the sum of the four
            total=None if None in parts else sum(p for p in parts if p is not None),
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        body: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] | None = None
        if files:
            form = aiohttp.FormData(request_data.json_parameters if request_data else {})
            for name, (filename, content, mimetype) in files.items():
                form.add_field(name, content, filename=filename, content_type=mimetype)
            body = form
        elif request_data is not None and request_data.parameters:
            body, headers = request_data.json_payload, _JSON_BODY
        proxy, proxy_auth = self._route(url)
        try:
            async with self._session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as response:
                return response.status, await response.read()
        except (TimeoutError, asyncio.TimeoutError) as err:  # noqa: UP041 - aiohttp raises both
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
