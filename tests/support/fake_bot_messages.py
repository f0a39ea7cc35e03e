"""The Bot API methods that act in a chat: messages, edits, documents, button answers.

Each method returns the ``result`` of a successful call or raises ``ApiRejection`` with the
error Telegram gives in that situation.
"""

from __future__ import annotations

from dataclasses import replace

from .bot_api_input import (
    CAPTION_LIMIT,
    MESSAGE_TEXT_LIMIT,
    ApiError,
    ApiRejection,
    Handler,
    Params,
    UploadedFile,
    bad_request,
    format_text,
    reply_markup,
)
from .fake_world import (
    AnsweredCallback,
    BotMessage,
    Chat,
    FakeWorld,
    JsonObject,
    SentDocument,
    StoredFile,
)
from .telegram_html import Entity, FormattedText

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)  # fmt: skip
_UPLOAD_LIMIT = 50 * 1024 * 1024
_DOWNLOAD_LIMIT = 20 * 1024 * 1024


def target_chat(world: FakeWorld, p: Params) -> Chat:
    """The chat named by ``chat_id``; 400 as Telegram answers when it is missing or unknown."""
    if not p.has("chat_id"):
        raise bad_request("chat_id is empty")
    chat_id = p.integer("chat_id")
    if chat_id is None:
        raise bad_request("chat not found")
    return world.chat(chat_id)


class MessageMethods:
    """The methods that act in a chat; ``table()`` maps names to handlers."""

    def __init__(self, world: FakeWorld, *, strict_html: bool) -> None:
        self._world = world
        self._strict_html = strict_html

    def table(self) -> dict[str, Handler]:
        """Bot API method name -> handler."""
        return {
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendDocument": self.send_document,
            "sendChatAction": self.send_chat_action,
            "getChat": self.get_chat,
            "getFile": self.get_file,
        }

    async def send_message(self, p: Params) -> object:
        """Send a text message, with parse_mode, keyboards and link preview options."""
        chat = self._chat(p)
        raw = p.text("text") or ""
        text = self._format(raw, p, "entities", MESSAGE_TEXT_LIMIT, "message is too long")
        if not text.text:
            raise bad_request("message text is empty")
        draft = self._draft(chat, p, text=text.text, raw=raw, entities=text.entities)
        return self._world.post_bot_message(chat, draft)

    async def send_document(self, p: Params) -> object:
        """Send a document uploaded as multipart/form-data, or one known by file_id."""
        chat = self._chat(p)
        raw = p.text("caption") or ""
        caption = self._format(
            raw, p, "caption_entities", CAPTION_LIMIT, "message caption is too long"
        )
        draft = self._draft(chat, p, text=caption.text, raw=raw, entities=caption.entities)
        stored = self._document(p.file("document"))
        document = SentDocument(
            filename=stored.filename or "document",
            size=len(stored.content),
            content=stored.content,
            mime_type=stored.mime_type,
            caption=caption.text or None,
            file_id=stored.file_id,
        )
        return self._world.post_bot_message(chat, replace(draft, documents=(document,)))

    def _document(self, document: UploadedFile | str | None) -> StoredFile:
        world = self._world
        if isinstance(document, UploadedFile):
            if not document.content:
                raise bad_request("file must be non-empty")
            if len(document.content) > _UPLOAD_LIMIT:
                raise ApiRejection(ApiError(413, "Request Entity Too Large"))
            return world.store_file(document.filename, document.content_type, document.content)
        if document is None or document == "":
            raise bad_request("there is no document in the request")
        if document in world.files:
            return world.files[document]
        if document.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        raise bad_request("wrong file identifier/HTTP URL specified")

    async def edit_message_text(self, p: Params) -> object:
        """Replace the text (and the inline keyboard: omitting it removes it)."""
        chat, current = self._edit_target(p)
        if current.documents:
            raise bad_request("there is no text in the message to edit")
        raw = p.text("text") or ""
        text = self._format(raw, p, "entities", MESSAGE_TEXT_LIMIT, "message is too long")
        if not text.text:
            raise bad_request("message text is empty")
        edited = replace(
            current,
            text=text.text,
            raw_text=raw,
            entities=text.entities,
            parse_mode=p.text("parse_mode"),
            reply_markup=reply_markup(p, inline_only=True),
            link_preview_options=self._link_preview(p) or current.link_preview_options,
        )
        return self._save_edit(chat, current, edited)

    async def edit_message_caption(self, p: Params) -> object:
        """Replace the caption of a document message."""
        chat, current = self._edit_target(p)
        if not current.documents:
            raise bad_request("there is no caption in the message to edit")
        raw = p.text("caption") or ""
        caption = self._format(
            raw, p, "caption_entities", CAPTION_LIMIT, "message caption is too long"
        )
        documents = tuple(replace(d, caption=caption.text or None) for d in current.documents)
        edited = replace(
            current,
            text=caption.text,
            raw_text=raw,
            entities=caption.entities,
            parse_mode=p.text("parse_mode"),
            reply_markup=reply_markup(p, inline_only=True),
            documents=documents,
        )
        return self._save_edit(chat, current, edited)

    async def edit_message_reply_markup(self, p: Params) -> object:
        """Replace the inline keyboard; omitting reply_markup removes it."""
        chat, current = self._edit_target(p)
        return self._save_edit(
            chat, current, replace(current, reply_markup=reply_markup(p, inline_only=True))
        )

    def _edit_target(self, p: Params) -> tuple[Chat, BotMessage]:
        if p.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # inline messages are not simulated
        chat = self._chat(p)
        message_id = p.required_integer("message_id", "message identifier is not specified")
        current = chat.current.get(message_id)
        if current is None:
            if message_id in chat.messages:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return chat, current

    def _save_edit(self, chat: Chat, current: BotMessage, edited: BotMessage) -> object:
        def content(m: BotMessage) -> tuple[object, ...]:
            return m.text, m.entities, m.reply_markup

        if content(edited) == content(current):
            raise bad_request(NOT_MODIFIED)
        return self._world.record_edit(chat, replace(edited, edited=True))

    async def delete_message(self, p: Params) -> object:
        """Delete a message of the chat, the bot's or the user's."""
        chat = self._chat(p)
        message_id = p.required_integer("message_id", "message identifier is not specified")
        self._world.delete_message(chat, message_id)
        return True

    async def answer_callback_query(self, p: Params) -> object:
        """Answer a button press once; the text is limited to 200 characters."""
        query_id = p.text("callback_query_id") or ""
        query = self._world.queries.get(query_id)
        if query is None or query.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.text("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        answer = AnsweredCallback(
            query_id, query.callback_data, text, p.boolean("show_alert"), p.text("url")
        )
        self._world.chats[query.chat_id].answered_callbacks.append(answer)
        return True

    async def send_chat_action(self, p: Params) -> object:
        """Record a chat action such as "typing"."""
        chat = self._chat(p)
        action = p.text("action")
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.chat_actions.append(action)
        return True

    async def get_chat(self, p: Params) -> object:
        """Full information about a private chat."""
        chat = self._chat(p)
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return chat.chat_json() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(gifts, True) | {"gifts_from_channels": True},
        }

    async def get_file(self, p: Params) -> object:
        """A File with the file_path under which the server serves the content."""
        stored = self._world.files.get(p.text("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > _DOWNLOAD_LIMIT:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # -- shared parts ------------------------------------------------------------------------

    def _chat(self, p: Params) -> Chat:
        return target_chat(self._world, p)

    def _format(
        self, raw: str, p: Params, entities: str, limit: int, too_long: str
    ) -> FormattedText:
        return format_text(
            raw,
            p,
            entities_param=entities,
            limit=limit,
            too_long=too_long,
            strict_html=self._strict_html,
        )

    def _link_preview(self, p: Params) -> JsonObject | None:
        options = p.json("link_preview_options", "can't parse link preview options JSON object")
        if options is None and p.boolean("disable_web_page_preview"):
            return {"is_disabled": True}
        if options is not None and not isinstance(options, dict):
            raise bad_request("can't parse link preview options JSON object")
        return options

    def _reply_to(self, chat: Chat, p: Params) -> int | None:
        parameters = p.json("reply_parameters", "can't parse reply parameters JSON object")
        if isinstance(parameters, dict):
            message_id, lenient = (
                parameters.get("message_id"),
                parameters.get("allow_sending_without_reply"),
            )
        else:
            message_id, lenient = (
                p.integer("reply_to_message_id"),
                p.boolean("allow_sending_without_reply"),
            )
        if not isinstance(message_id, int):
            return None
        if message_id not in chat.messages:
            if lenient:
                return None
            raise bad_request("message to be replied not found")
        return message_id

    def _draft(
        self, chat: Chat, p: Params, *, text: str, raw: str, entities: tuple[Entity, ...]
    ) -> BotMessage:
        return BotMessage(
            message_id=0,
            chat_id=chat.chat_id,
            text=text,
            parse_mode=p.text("parse_mode"),
            reply_markup=reply_markup(p),
            raw_text=raw,
            entities=entities,
            disable_notification=p.boolean("disable_notification"),
            link_preview_options=self._link_preview(p),
            reply_to_message_id=self._reply_to(chat, p),
            date=self._world.now(),
        )
