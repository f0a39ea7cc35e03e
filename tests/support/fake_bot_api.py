"""A fake Telegram Bot API server on loopback, for end-to-end tests and benchmarks.

The real bot talks real HTTP to it::

    async with FakeBotApi() as api:
        application = (
            ApplicationBuilder()
            .token(api.token)
            .base_url(api.base_url)
            .base_file_url(api.base_file_url)
            .build()
        )
        anna = api.user(1001, first_name="Anna")
        await anna.send("/start")
        reply = await anna.wait_for_message()

Requests are answered at once: no sleeps, constant work per request apart from parsing the
text it carries, so the server does not distort latency measurements.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection
from types import TracebackType

from aiohttp import web

from .bot_api_input import ApiError, ApiRejection, Handler, read_params
from .fake_bot_messages import MessageMethods
from .fake_bot_session import SessionMethods, command_key
from .fake_user import FakeUser
from .fake_world import (
    AnsweredCallback,
    ApiCall,
    BotMessage,
    Chat,
    FakeWorld,
    JsonObject,
    SentDocument,
)

__all__ = [
    "MESSAGE_METHODS",
    "AnsweredCallback",
    "ApiCall",
    "ApiError",
    "BotMessage",
    "FakeBotApi",
    "FakeUser",
    "FaultPolicy",
    "SentDocument",
]

FaultPolicy = Callable[[str, int | None], ApiError | None]
"""Decides per request, given (method, chat_id), whether to answer with an error instead."""

MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)
"""The implemented methods that put something into a chat, as Telegram's rate limits count."""

_BLOCKABLE_PREFIXES = ("send", "edit", "copy", "forward")
_MAX_BODY = 51 * 1024 * 1024  # the 50 MB upload limit plus the other form fields


class Hold:
    """Requests held back by :meth:`FakeBotApi.hold` until :meth:`release`."""

    def __init__(self, method: str, chat_id: int) -> None:
        self.method, self.chat_id = method, chat_id
        self.waiting = 0  # requests waiting now
        self._released = asyncio.Event()

    async def wait(self) -> None:
        self.waiting += 1
        try:
            await self._released.wait()
        finally:
            self.waiting -= 1

    def release(self) -> None:
        """Answer the held requests, and every later one at once."""
        self._released.set()


class FakeBotApi:
    """A fake Bot API server bound to 127.0.0.1 on a free port, plus the simulated world.

    Use it as an async context manager (or call ``start`` and ``close``). Every request is
    appended to ``sent_log``.
    """

    def __init__(
        self,
        *,
        token: str = "123456:TEST",
        first_name: str = "NHR Test Bot",
        username: str = "nhr_test_bot",
        clock: Callable[[], float] = time.time,
        strict_html: bool = True,
        latency: float = 0.0,
    ) -> None:
        """``clock`` gives Unix time for message dates; ``strict_html=False`` accepts a bare
        ``&`` in HTML the way Telegram does; ``latency`` (seconds, default none) delays every
        answer except getUpdates, to benchmark against a realistic network round trip."""
        self.token = token
        self.latency = latency
        me: JsonObject = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._world = FakeWorld(me, clock)
        self._session = SessionMethods(self._world)
        table = self._session.table() | MessageMethods(self._world, strict_html=strict_html).table()
        self._handlers: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler) for name, handler in table.items()
        }
        self._users: dict[int, FakeUser] = {}
        self._fault_policy: FaultPolicy | None = None
        self._holds: list[Hold] = []
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self.sent_log: list[ApiCall] = []

    # -- lifecycle -----------------------------------------------------------------------------

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=_MAX_BODY, middlewares=[_json_not_found])
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self._url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        """End waiting long polls and stop listening."""
        self._world.closing = True
        self._world.updates.arrived.fire()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- addresses and identity ----------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, once started."""
        if self._url is None:
            raise RuntimeError("FakeBotApi is not started; use `async with FakeBotApi() as api`")
        return self._url

    @property
    def base_url(self) -> str:
        """The value for ``ApplicationBuilder.base_url`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """The value for ``ApplicationBuilder.base_file_url`` / ``Bot(base_file_url=...)``."""
        return f"{self.url}/file/bot"

    @property
    def me(self) -> JsonObject:
        """The bot's identity as getMe returns it."""
        return dict(self._world.me)

    # -- the simulated world -------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "de",
    ) -> FakeUser:
        """The user with ``user_id``, created on first call (later calls return the same
        handle and ignore the profile arguments). The bot can then message them."""
        if user_id not in self._users:
            profile: JsonObject = {"id": user_id, "is_bot": False, "first_name": first_name}
            optional = {
                "last_name": last_name,
                "username": username,
                "language_code": language_code,
            }
            profile |= {k: v for k, v in optional.items() if v is not None}
            chat = self._world.chats.setdefault(user_id, Chat(user=profile))
            self._users[user_id] = FakeUser(self._world, chat)
        return self._users[user_id]

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends and edits to them get 403 Forbidden."""
        self._world.set_blocked(self._known_chat(user_id), True)

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self._world.set_blocked(self._known_chat(user_id), False)

    def _known_chat(self, user_id: int) -> Chat:
        if user_id not in self._world.chats:
            raise ValueError(f"unknown user {user_id}; create it with api.user({user_id}) first")
        return self._world.chats[user_id]

    @property
    def pending_update_count(self) -> int:
        """Updates the bot has not confirmed yet."""
        return len(self._world.updates)

    def take_updates(self) -> list[JsonObject]:
        """Remove and return every pending update, as a getUpdates call would deliver and
        confirm them: for tests that feed ``Application.process_update`` directly."""
        queue = self._world.updates
        updates = queue.peek(len(queue))
        queue.clear()
        return updates

    def restart_update_ids(self, next_id: int) -> None:
        """The next update gets the id ``next_id``, lower than the last one if you like: what
        Telegram does after a week without updates (it picks the next id at random)."""
        self._world.updates.restart_ids(next_id)

    def deliver_last_update_again(self) -> int:
        """Queue the newest update once more, as Telegram redelivers one the bot did not
        confirm (a crash after handling it); returns its id."""
        last = self._world.updates.last
        if last is None:
            raise AssertionError("no update was delivered yet")
        self._world.updates.put_again(last)
        update_id = last["update_id"]
        assert isinstance(update_id, int)
        return update_id

    @property
    def polls_started(self) -> int:
        """getUpdates requests received so far, counted on arrival (a long poll that is still
        waiting counts): a bot process is polling once this grows."""
        return self._world.updates.poll_generation

    @property
    def webhook_url(self) -> str | None:
        """The URL set with setWebhook, or None while polling."""
        webhook = self._session.webhook
        return None if webhook is None else str(webhook["url"])

    def commands(
        self, scope: JsonObject | None = None, language_code: str = ""
    ) -> list[JsonObject]:
        """The commands set with setMyCommands for ``scope`` (default scope if None)."""
        return list(self._session.commands.get(command_key(scope, language_code), []))

    def menu_button(self, chat_id: int | None = None) -> JsonObject | None:
        """The menu button set with setChatMenuButton for a chat (None: the default one)."""
        return self._session.menu_buttons.get(chat_id)

    # -- fault injection -----------------------------------------------------------------------

    def set_fault_policy(self, policy: FaultPolicy | None) -> None:
        """Consult ``policy(method, chat_id)`` before every request; an ApiError it returns
        is the answer. None removes the policy."""
        self._fault_policy = policy

    def inject_429(
        self, every_n: int, retry_after: int, *, methods: Collection[str] | None = None
    ) -> None:
        """Answer every ``every_n``-th counted request with 429 Too Many Requests.

        Counted are requests for one of ``methods`` or, by default, every request that
        carries a chat_id (sends, edits, deletes, chat actions). Replaces any fault policy.
        """
        if every_n < 1:
            raise ValueError("every_n must be at least 1")
        counted = 0

        def policy(method: str, chat_id: int | None) -> ApiError | None:
            nonlocal counted
            if (method not in methods) if methods is not None else chat_id is None:
                return None
            counted += 1
            return ApiError.too_many_requests(retry_after) if counted % every_n == 0 else None

        self._fault_policy = policy

    def hold(self, method: str, chat_id: int) -> Hold:
        """Keep the requests for ``method`` to ``chat_id`` waiting (unanswered) until the
        returned :class:`Hold` is released: a slow network for one chat."""
        held = Hold(method, chat_id)
        self._holds.append(held)
        return held

    def clear_faults(self) -> None:
        """Remove any fault policy (blocked users stay blocked)."""
        self._fault_policy = None

    # -- rates -----------------------------------------------------------------------------------

    def peak_rate(
        self,
        *,
        window: float = 1.0,
        chat_id: int | None = None,
        methods: Collection[str] = MESSAGE_METHODS,
    ) -> int:
        """The most requests for ``methods`` (to ``chat_id``, if given) that arrived within any
        ``window`` seconds, failed ones included: compare with 30 overall and 1 per chat."""
        if window <= 0:
            raise ValueError("window must be positive")
        times = [
            call.at
            for call in self.sent_log
            if call.method in methods and (chat_id is None or call.chat_id == chat_id)
        ]
        times.sort()
        peak, first = 0, 0
        for last, at in enumerate(times):
            while at - times[first] >= window:
                first += 1
            peak = max(peak, last - first + 1)
        return peak

    # -- HTTP ------------------------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        requested = request.match_info["method"]
        method, handler = self._handlers.get(requested.lower(), (requested, None))
        if self.latency and method != "getUpdates":
            await asyncio.sleep(self.latency)
        chat_id: int | None = None
        try:
            if request.match_info["token"] != self.token:
                raise ApiRejection(ApiError(401, "Unauthorized"))
            if handler is None:
                raise ApiRejection(ApiError(404, "Not Found"))
            params = await read_params(request)
            chat_id = params.integer("chat_id")
            for held in self._holds:
                if (held.method, held.chat_id) == (method, chat_id):
                    await held.wait()
            self._check_faults(method, chat_id)
            status, body = 200, {"ok": True, "result": await handler(params)}
        except ApiRejection as rejection:
            status, body = rejection.error.error_code, rejection.error.to_json()
            self._world.note_failure(chat_id, method, rejection.error)
        except Exception as exc:  # a bug in the fake: tell the bot (NetworkError) and the test
            error = ApiError(500, f"Internal Server Error: fake Bot API failed: {exc!r}")
            status, body = 500, error.to_json()
            self._world.note_failure(chat_id, method, error)
        self.sent_log.append(ApiCall(arrived, method, chat_id, status))
        return web.json_response(body, status=status)

    def _check_faults(self, method: str, chat_id: int | None) -> None:
        error = self._fault_policy(method, chat_id) if self._fault_policy else None
        if error is not None:
            raise ApiRejection(error)
        chat = self._world.chats.get(chat_id) if chat_id is not None else None
        if chat is not None and chat.blocked and method.startswith(_BLOCKABLE_PREFIXES):
            raise ApiRejection(ApiError.blocked_by_user())

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").to_json(), status=401)
        file_id = request.match_info["path"].removeprefix("documents/")
        stored = self._world.files.get(file_id)
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").to_json(), status=404)
        return web.Response(body=stored.content, content_type="application/octet-stream")


@web.middleware
async def _json_not_found(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Paths outside the API answer like Telegram: JSON 404 instead of aiohttp's text page."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return web.json_response(ApiError(404, "Not Found").to_json(), status=404)
