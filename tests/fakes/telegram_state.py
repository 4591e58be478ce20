"""What the fake Telegram Bot API remembers: users, chats, messages, updates, commands, files.

:class:`BotApiState` owns the data; :mod:`tests.fakes.telegram_methods` implements the Bot API
methods on top of it, and :mod:`tests.fakes.telegram_api` serves them over HTTP. Values handed
out are frozen snapshots (:mod:`tests.fakes.telegram_values`): an edit replaces a message's
snapshot, so read the current one again with :meth:`BotApiState.message`.
"""

from __future__ import annotations

import itertools
import json
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.clock import Clock
from tests.fakes.telegram_markup import (
    MAX_CAPTION_UTF16,
    MAX_TEXT_UTF16,
    command_entities,
    parse_reply_markup,
    render_text,
)
from tests.fakes.telegram_values import (
    ApiError,
    BotProfile,
    CallbackAnswer,
    CallbackQueryRecord,
    ChatAction,
    ChatMessage,
    JsonDict,
    Params,
    ParsedText,
    StoredFile,
    TextEntity,
    UploadPart,
    UserProfile,
    bad_request,
)

# Telegram's default when allowed_updates was never set: everything but these three kinds.
_NOT_DEFAULT_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _image_size(content: bytes) -> tuple[int, int]:
    if content.startswith(_IMAGE_MAGIC[0]) and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return 0, 0


def _is_image(content: bytes) -> bool:
    return content.startswith(_IMAGE_MAGIC) or (content[:4] == b"RIFF" and content[8:12] == b"WEBP")


class BotApiState:
    """Everything the fake Bot API stores, with the helpers its methods share."""

    def __init__(self, *, bot: BotProfile, clock: Clock) -> None:
        self.bot = bot
        self.clock = clock
        self.users: dict[int, UserProfile] = {}
        self.blocked_by: set[int] = set()
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.chat_actions: list[ChatAction] = []
        self.files: dict[str, StoredFile] = {}
        self.menu_buttons: dict[int | None, JsonDict] = {}
        self.bot_texts: dict[tuple[str, str], str] = {}
        self.webhook_url = ""
        self.allowed_updates: frozenset[str] | None = None
        self._commands: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self._messages: dict[tuple[int, int], ChatMessage] = {}
        self._order: dict[int, list[int]] = {}
        self._pending: list[tuple[int, str, JsonDict]] = []
        self._update_ids = itertools.count(100_001)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    # --- reading -------------------------------------------------------------------------
    def messages(self, chat_id: int, *, from_bot: bool | None = True) -> list[ChatMessage]:
        """Current snapshots of a chat's messages in order (deleted ones included, flagged)."""
        found = (self._messages[(chat_id, mid)] for mid in self._order.get(chat_id, []))
        return [m for m in found if from_bot is None or m.from_bot == from_bot]

    def message(self, chat_id: int, message_id: int) -> ChatMessage:
        """The current snapshot of one message (KeyError if it never existed)."""
        return self._messages[(chat_id, message_id)]

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        """The current snapshot of one message, ``None`` if it never existed."""
        return self._messages.get((chat_id, message_id))

    def commands(
        self, *, scope: Mapping[str, object] | None = None, language_code: str = ""
    ) -> tuple[tuple[str, str], ...]:
        """Commands stored by ``setMyCommands`` for exactly this scope and language."""
        return self.stored_commands(_scope_key(scope), language_code)

    def stored_commands(self, scope_key: str, language_code: str) -> tuple[tuple[str, str], ...]:
        """Commands stored under a canonical scope key (see :meth:`commands_key`)."""
        return self._commands.get((scope_key, language_code), ())

    def visible_commands(self, user_id: int, language_code: str) -> tuple[tuple[str, str], ...]:
        """The command menu a Telegram client would show this user in their private chat."""
        for scope in ({"type": "chat", "chat_id": user_id}, {"type": "all_private_chats"}, None):
            for lang in (language_code, ""):
                if found := self.commands(scope=scope, language_code=lang):
                    return found
        return ()

    @property
    def pending_update_count(self) -> int:
        """Updates queued and not yet confirmed by an ``offset``."""
        return len(self._pending)

    # --- user side -----------------------------------------------------------------------
    def add_user(self, profile: UserProfile) -> None:
        """Register a user, hence their private chat."""
        self.users[profile.user_id] = profile

    def user_message(self, user_id: int, text: str) -> ChatMessage:
        """Store a message typed by a user and queue its ``message`` update."""
        if not text.strip():
            raise ValueError("Telegram clients cannot send an empty message")
        message = self._append(
            chat_id=user_id, from_bot=False, text=text, source=text, entities=command_entities(text)
        )
        self._queue("message", self.message_api(message))
        return message

    def callback_query(
        self, user_id: int, message: ChatMessage | None, data: str, *, forged: bool
    ) -> CallbackQueryRecord:
        """Queue a ``callback_query`` update as if the user pressed a button of ``message``."""
        user = self.users[user_id]
        query = CallbackQueryRecord(
            query_id=str(4_200_000_000 + next(self._query_ids)),
            user_id=user_id,
            chat_id=None if message is None else message.chat_id,
            message_id=None if message is None else message.message_id,
            data=data,
            forged=forged,
            sent_at=self.clock.now(),
        )
        payload: JsonDict = {
            "id": query.query_id,
            "from": user.to_api(),
            "chat_instance": str(-user_id),
            "data": data,
        }
        if message is not None:
            payload["message"] = self.message_api(message)
        self.callback_queries[query.query_id] = query
        self._queue("callback_query", payload)
        return query

    # --- updates (getUpdates) ------------------------------------------------------------
    def confirm(self, offset: int | None) -> None:
        """Forget updates confirmed by ``offset`` (a negative offset keeps only the last ones)."""
        if offset is None:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [item for item in self._pending if item[0] >= offset]

    def set_allowed_updates(self, value: object) -> None:
        """Remember ``allowed_updates`` (absent: keep the previous setting; []: the default)."""
        if isinstance(value, list):
            self.allowed_updates = frozenset(str(kind) for kind in value) or None

    def drop_pending(self) -> None:
        """Drop every queued update (``drop_pending_updates=True``)."""
        self._pending.clear()

    def peek_updates(self, limit: int) -> list[JsonDict]:
        """Deliverable updates, oldest first; kinds not allowed are dropped like Telegram does."""
        allowed = self.allowed_updates
        self._pending = [
            item
            for item in self._pending
            if (item[1] in allowed if allowed is not None else item[1] not in _NOT_DEFAULT_UPDATES)
        ]
        return [{"update_id": uid, kind: payload} for uid, kind, payload in self._pending[:limit]]

    def _queue(self, kind: str, payload: JsonDict) -> None:
        self._pending.append((next(self._update_ids), kind, payload))

    # --- helpers used by the methods -----------------------------------------------------
    def chat(self, params: Params) -> UserProfile:
        """Resolve ``chat_id`` to a known private chat (400 / 403 like Telegram)."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        try:
            user = self.users.get(int(raw))
        except (TypeError, ValueError):
            user = None
        if user is None:
            raise bad_request("chat not found")
        if user.user_id in self.blocked_by:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return user

    def rendered(self, params: Params, name: str) -> ParsedText:
        """Parse a text or caption parameter with its parse_mode (or explicit entities)."""
        source = params.str_(name) or ""
        mode = params.str_("parse_mode")
        entities = params.get("entities" if name == "text" else "caption_entities")
        if mode is None and isinstance(entities, list):
            parsed = render_text(source, None, limit_utf16=MAX_TEXT_UTF16, what=name)
            return replace(parsed, entities=tuple(_entity(item) for item in entities))
        limit = MAX_TEXT_UTF16 if name == "text" else MAX_CAPTION_UTF16
        return render_text(source, mode, limit_utf16=limit, what=name)

    def markups(
        self, params: Params, *, inline_only: bool
    ) -> tuple[JsonDict | None, JsonDict | None]:
        """Validated ``reply_markup`` split into (inline keyboard, reply keyboard)."""
        markup = parse_reply_markup(params.get("reply_markup"), inline_only=inline_only)
        if markup is None or "inline_keyboard" in markup:
            return markup, None
        return None, markup

    def store_message(self, message: ChatMessage) -> ChatMessage:
        """Replace a message's snapshot."""
        self._messages[(message.chat_id, message.message_id)] = message
        return message

    def send(self, params: Params, **content: Any) -> JsonDict:
        """Store a new bot message in the ``chat_id`` chat and return its API object."""
        chat = self.chat(params)
        inline, reply = self.markups(params, inline_only=False)
        message = self._append(
            chat_id=chat.user_id,
            from_bot=True,
            parse_mode=params.str_("parse_mode"),
            reply_markup=inline,
            reply_keyboard=reply,
            **content,
        )
        return self.message_api(message)

    def _append(self, *, chat_id: int, from_bot: bool, **content: Any) -> ChatMessage:
        order = self._order.setdefault(chat_id, [])
        message = ChatMessage(
            chat_id=chat_id,
            message_id=len(order) + 1,
            sender_id=self.bot.user_id if from_bot else chat_id,
            from_bot=from_bot,
            sent_at=self.clock.now(),
            **content,
        )
        order.append(message.message_id)
        return self.store_message(message)

    def input_file(self, params: Params, name: str, *, photo: bool) -> StoredFile:
        """The file of a send/upload parameter: a multipart part, attach:// or a file_id."""
        part, value = params.files.get(name), params.get(name)
        if part is None and isinstance(value, str) and value.startswith("attach://"):
            part = params.files.get(value.removeprefix("attach://"))
        if part is not None:
            return self._store_upload(part, photo=photo)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        if value:
            raise bad_request("wrong file identifier/HTTP URL specified")
        raise bad_request(f"there is no {name} in the request")

    def _store_upload(self, part: UploadPart, *, photo: bool) -> StoredFile:
        if not part.content:
            raise bad_request("file must be non-empty")
        if photo and not _is_image(part.content):
            raise bad_request("IMAGE_PROCESS_FAILED")
        number = next(self._file_ids)
        mime = part.content_type or (mimetypes.guess_type(part.filename or "")[0])
        suffix = mimetypes.guess_extension(mime or "") or ""
        width, height = _image_size(part.content) if photo else (0, 0)
        stored = StoredFile(
            file_id=f"FAKE-{'photo' if photo else 'doc'}-{number}",
            file_unique_id=f"uniq{number}",
            file_path=f"{'photos' if photo else 'documents'}/file_{number}{suffix}",
            filename=part.filename,
            mime_type=mime,
            content=part.content,
            width_px=width,
            height_px=height,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        """The stored file served at ``/file/bot<token>/<file_path>``."""
        return next((f for f in self.files.values() if f.file_path == file_path), None)

    def set_commands(self, key: tuple[str, str], commands: tuple[tuple[str, str], ...]) -> None:
        """Store (or, when empty, delete) a command list."""
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)

    def commands_key(self, params: Params) -> tuple[str, str]:
        """The (scope, language) key of a setMyCommands / getMyCommands call."""
        scope = params.get("scope")
        if scope is not None and not isinstance(scope, dict):
            raise bad_request("can't parse BotCommandScope JSON object")
        language = params.str_("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("invalid language code specified")
        return _scope_key(scope), language

    def message_api(self, message: ChatMessage) -> JsonDict:
        """The Bot API ``Message`` object of a stored message."""
        user = self.users[message.chat_id]
        data: JsonDict = {
            "message_id": message.message_id,
            "date": int(message.sent_at.timestamp()),
            "chat": user.chat_api(),
            "from": self.bot.to_api() if message.from_bot else user.to_api(),
        }
        entities = [entity.to_api() for entity in message.entities]
        if message.text is not None:
            data["text"] = message.text
            if entities:
                data["entities"] = entities
        if message.caption is not None:
            data["caption"] = message.caption
            if entities:
                data["caption_entities"] = entities
        if message.photo is not None:
            size = {"width": message.photo.width_px, "height": message.photo.height_px}
            data["photo"] = [message.photo.to_api() | size]
        if message.document is not None:
            document = message.document
            data["document"] = document.to_api() | {
                key: value
                for key, value in (
                    ("file_name", document.filename),
                    ("mime_type", document.mime_type),
                )
                if value is not None
            }
        if message.reply_markup is not None:
            data["reply_markup"] = message.reply_markup
        if message.edited_at is not None:
            data["edit_date"] = int(message.edited_at.timestamp())
        return data


def _scope_key(scope: Mapping[str, object] | None) -> str:
    canonical = dict(scope or {"type": "default"})
    chat_id = canonical.get("chat_id")
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        canonical["chat_id"] = int(chat_id)  # the same chat sent as "42" or 42
    return json.dumps(canonical, sort_keys=True)


def _entity(raw: object) -> TextEntity:
    if not isinstance(raw, dict):
        raise bad_request("can't parse entities JSON object")
    try:
        return TextEntity(
            type=str(raw["type"]),
            offset=int(raw["offset"]),
            length=int(raw["length"]),
            url=raw.get("url"),
            language=raw.get("language"),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise bad_request("can't parse entities JSON object") from err
