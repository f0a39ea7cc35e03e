"""The Bot API methods about the bot itself: identity, updates, webhook, commands, menu.

Each method returns the ``result`` of a successful call or raises ``ApiRejection`` with the
error Telegram gives in that situation.
"""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import urlsplit

from .bot_api_input import ApiError, ApiRejection, Handler, Params, bad_request
from .fake_bot_messages import target_chat
from .fake_world import FakeWorld, JsonObject

_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


def command_key(scope: object, language_code: str) -> tuple[str, str]:
    """Where a command list is kept: per scope (default if None) and language."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


class SessionMethods:
    """getMe, getUpdates and the bot's settings; ``table()`` maps names to handlers."""

    def __init__(self, world: FakeWorld) -> None:
        self._world = world
        self.webhook: JsonObject | None = None
        self.commands: dict[tuple[str, str], list[JsonObject]] = {}
        self.menu_buttons: dict[int | None, JsonObject] = {}

    def table(self) -> dict[str, Handler]:
        """Bot API method name -> handler."""
        return {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
        }

    async def get_me(self, p: Params) -> object:
        """The bot's identity."""
        return self._world.me

    async def get_updates(self, p: Params) -> object:
        """Long polling: pending updates at once, else wait up to ``timeout`` for new ones."""
        world, queue = self._world, self._world.updates
        if self.webhook is not None:
            raise ApiRejection(
                ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            )
        allowed = p.json("allowed_updates", "can't parse allowed updates")
        if isinstance(allowed, list):
            queue.allow(str(kind) for kind in allowed)
        offset = p.integer("offset")
        if offset:
            queue.confirm(offset)
        limit = min(max(p.integer("limit") or 100, 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(p.number("timeout") or 0.0, 0.0)
        queue.poll_generation += 1
        generation = queue.poll_generation
        queue.arrived.fire()  # an older poll still waiting now ends with 409 Conflict
        while True:
            batch = queue.hand_out(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or world.closing:
                return batch
            if generation != queue.poll_generation:
                raise ApiRejection(
                    ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                )
            await queue.arrived.wait_until(deadline)

    async def set_webhook(self, p: Params) -> object:
        """Record the webhook (no updates are pushed to it); an empty url removes it."""
        url = p.text("url") or ""
        if not url:
            return await self.delete_webhook(p)
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if (parts.port or 443) not in (80, 88, 443, 8443):
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        self.webhook = {"url": url, "max_connections": p.integer("max_connections") or 40}
        allowed = p.json("allowed_updates", "can't parse allowed updates")
        if isinstance(allowed, list):
            self.webhook["allowed_updates"] = allowed
        if p.boolean("drop_pending_updates"):
            self._world.updates.clear()
        return True

    async def delete_webhook(self, p: Params) -> object:
        """Remove the webhook; drop pending updates if asked to."""
        self.webhook = None
        if p.boolean("drop_pending_updates"):
            self._world.updates.clear()
        return True

    async def get_webhook_info(self, p: Params) -> object:
        """The webhook state; url is empty while polling."""
        info: JsonObject = {"url": "", "has_custom_certificate": False}
        info |= self.webhook or {}
        return info | {"pending_update_count": len(self._world.updates)}

    async def set_my_commands(self, p: Params) -> object:
        """Store the command list for a scope and language."""
        commands = p.json("commands", "can't parse commands JSON object")
        if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _COMMAND_NAME.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._command_key(p)] = commands
        return True

    async def get_my_commands(self, p: Params) -> object:
        """The command list for a scope and language (empty if none was set)."""
        return self.commands.get(self._command_key(p), [])

    async def delete_my_commands(self, p: Params) -> object:
        """Forget the command list for a scope and language."""
        self.commands.pop(self._command_key(p), None)
        return True

    def _command_key(self, p: Params) -> tuple[str, str]:
        scope = p.json("scope", "can't parse BotCommandScope JSON object")
        return command_key(scope, p.text("language_code") or "")

    async def set_chat_menu_button(self, p: Params) -> object:
        """Store the menu button of one chat, or the default one without chat_id."""
        button = p.json("menu_button", "can't parse menu button JSON object") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise bad_request("can't parse menu button JSON object")
        if p.has("chat_id"):
            target_chat(self._world, p)
        self.menu_buttons[p.integer("chat_id")] = button
        return True

    async def get_chat_menu_button(self, p: Params) -> object:
        """The menu button of a chat, falling back to the default one."""
        chat_id = p.integer("chat_id")
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}
