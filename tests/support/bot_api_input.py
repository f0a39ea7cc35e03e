"""Reading and checking what a bot sends to the Bot API, and the errors the API answers with.

Telegram accepts parameters in the query string, as a JSON body, URL-encoded or as
multipart/form-data. In the form encodings every value is a string and nested objects such as
``reply_markup`` are JSON text (python-telegram-bot sends it that way); ``Params`` reads
both shapes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from aiohttp import web
from aiohttp.web_request import FileField

from .telegram_html import Entity, FormattedText, HtmlParseError, parse_html, trim

MESSAGE_TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes

_INLINE_BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ApiError:
    """An error answer of the Bot API; the HTTP status equals ``error_code``, as on Telegram."""

    error_code: int
    description: str
    retry_after: int | None = None

    @classmethod
    def bad_request(cls, reason: str) -> ApiError:
        """400 with Telegram's ``Bad Request: `` prefix."""
        return cls(400, f"Bad Request: {reason}")

    @classmethod
    def too_many_requests(cls, retry_after: int) -> ApiError:
        """429 flood control, surfacing in python-telegram-bot as ``RetryAfter``."""
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    @classmethod
    def blocked_by_user(cls) -> ApiError:
        """403 for a user who blocked the bot, surfacing as ``Forbidden``."""
        return cls(403, "Forbidden: bot was blocked by the user")

    def to_json(self) -> dict[str, object]:
        """The response body Telegram sends for this error."""
        body: dict[str, object] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class ApiRejection(Exception):
    """Raised inside a method to answer the request with ``error``."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.description)
        self.error = error


def bad_request(reason: str) -> ApiRejection:
    """A rejection with 400 Bad Request, to ``raise``."""
    return ApiRejection(ApiError.bad_request(reason))


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str | None
    content: bytes


class Params:
    """Typed access to the parameters of one request, whatever encoding they came in."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)

    def has(self, name: str) -> bool:
        """Whether the request carries ``name`` at all."""
        return name in self._values

    def text(self, name: str) -> str | None:
        """A string parameter; numbers sent as JSON are turned into text."""
        value = self._values.get(name)
        if value is None or isinstance(value, UploadedFile):
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str) -> int | None:
        """An integer parameter; None if absent or not an integer."""
        value = self._values.get(name)
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                return None
        return None

    def required_integer(self, name: str, missing: str) -> int:
        """An integer parameter that must be present; 400 with ``missing`` otherwise."""
        value = self.integer(name)
        if value is None:
            raise bad_request(missing)
        return value

    def number(self, name: str) -> float | None:
        """A float parameter (timeouts may be fractions); None if absent or malformed."""
        value = self._values.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return None
        return None

    def boolean(self, name: str) -> bool:
        """A flag; absent means False."""
        value = self._values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return value is True or value == 1

    def json(self, name: str, invalid: str) -> object:
        """A nested object (JSON text in form encodings); 400 with ``invalid`` if unparsable."""
        value = self._values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(invalid) from None
        return value

    def file(self, name: str) -> UploadedFile | str | None:
        """A file parameter: an upload, or a string (file_id or URL)."""
        value = self._values.get(name)
        if isinstance(value, UploadedFile | str):
            return value
        return None


Handler = Callable[[Params], Awaitable[object]]
"""A Bot API method: the request's parameters in, the ``result`` out."""


async def read_params(request: web.Request) -> Params:
    """Collect the parameters from the query string and the body of ``request``."""
    values: dict[str, object] = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if isinstance(body, dict):
            values.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, FileField):
                values[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                values[key] = value if isinstance(value, str) else value.decode()
    return Params(values)


def format_text(
    source: str,
    params: Params,
    *,
    entities_param: str,
    limit: int,
    too_long: str,
    strict_html: bool,
) -> FormattedText:
    """Apply ``parse_mode`` (or explicit entities), trim, and enforce the length ``limit``."""
    parse_mode = params.text("parse_mode")
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            formatted = parse_html(source, strict_ampersand=strict_html)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown is not parsed: the text is kept as sent, so its length is over-counted.
        formatted = FormattedText(source, _explicit_entities(params, entities_param))
    else:
        raise bad_request("unsupported parse_mode")
    formatted = trim(formatted)
    if len(formatted.text) > limit:
        raise bad_request(too_long)
    return formatted


def _explicit_entities(params: Params, name: str) -> tuple[Entity, ...]:
    entities = params.json(name, "can't parse entities JSON object")
    if entities is None:
        return ()
    if not isinstance(entities, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("offset"), int)
        and isinstance(e.get("length"), int)
        for e in entities
    ):
        raise bad_request("can't parse entities JSON object")
    return tuple(entities)


def reply_markup(params: Params, *, inline_only: bool = False) -> dict[str, object] | None:
    """The checked ``reply_markup`` of a request, or None if it has none."""
    markup = params.json("reply_markup", "can't parse reply keyboard markup JSON object")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
        return markup
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if not all(button_label(button) for row in rows for button in row):
            raise bad_request("can't parse keyboard button: Text must be non-empty")
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def button_label(button: object) -> str:
    """The text of a keyboard button, given as a string or an object with ``text``."""
    if isinstance(button, str):
        return button
    if isinstance(button, dict) and isinstance(button.get("text"), str):
        return str(button["text"])
    return ""


def _check_inline_keyboard(rows: object) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            "can't parse inline keyboard button: "
            'field "inline_keyboard" must be an Array of Arrays'
        )
    for button in (button for row in rows for button in row):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise bad_request(
                'can\'t parse inline keyboard button: Field "text" must be of type String'
            )
        actions = _INLINE_BUTTON_ACTIONS.intersection(button)
        if not actions:
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            size = len(data.encode("utf-8")) if isinstance(data, str) else 0
            if not 1 <= size <= CALLBACK_DATA_LIMIT:
                raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
                raise bad_request("BUTTON_URL_INVALID")
