"""Values of the fake Telegram Bot API: errors, messages, files, users, recorded interactions.

All are frozen snapshots. A message edit replaces the message's snapshot in
:class:`tests.fakes.telegram_state.BotApiState`, so read the current one again after an edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

JsonDict = dict[str, Any]


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description and optional parameters."""

    def __init__(
        self, status: int, description: str, *, parameters: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = dict(parameters) if parameters else None

    def payload(self) -> JsonDict:
        """Return the Telegram-shaped ``{"ok": false, ...}`` body."""
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """Build a 400 error the way Telegram words them (``Bad Request: <reason>``)."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True, slots=True, kw_only=True)
class InlineButton:
    """One inline keyboard button; only callback buttons can be pressed by a fake user."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TextEntity:
    """A formatting entity; ``offset``/``length`` count UTF-16 code units like Telegram."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None

    def to_api(self) -> JsonDict:
        """Return the Bot API JSON shape."""
        data: JsonDict = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.url is not None:
            data["url"] = self.url
        if self.language is not None:
            data["language"] = self.language
        return data


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedText:
    """Visible text (tags removed, HTML entities decoded) and its formatting entities."""

    text: str
    entities: tuple[TextEntity, ...] = ()


def inline_keyboard(markup: Mapping[str, Any] | None) -> tuple[tuple[InlineButton, ...], ...]:
    """Rows of inline buttons of an already validated ``reply_markup``."""
    if not markup or "inline_keyboard" not in markup:
        return ()
    rows: Sequence[Sequence[Mapping[str, Any]]] = markup["inline_keyboard"]
    return tuple(
        tuple(
            InlineButton(
                text=raw["text"], callback_data=raw.get("callback_data"), url=raw.get("url")
            )
            for raw in row
        )
        for row in rows
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadPart:
    """One file part of a multipart request, as received."""

    name: str
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredFile:
    """A file the bot uploaded (photo or document), kept byte for byte."""

    file_id: str
    file_unique_id: str
    file_path: str
    filename: str | None
    mime_type: str | None
    content: bytes
    width_px: int = 0
    height_px: int = 0

    def to_api(self) -> JsonDict:
        """Return the File / Document fields Telegram sends for this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class BotProfile:
    """The bot's own account."""

    user_id: int
    first_name: str
    username: str

    def to_api(self) -> JsonDict:
        """Return the Bot API ``User`` object of the bot."""
        return {
            "id": self.user_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class UserProfile:
    """A human user; their private chat with the bot has ``chat_id == user_id``."""

    user_id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None

    def to_api(self) -> JsonDict:
        """Return the Bot API ``User`` object."""
        data: JsonDict = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None:
            data["language_code"] = self.language_code
        return data

    def chat_api(self) -> JsonDict:
        """Return the Bot API ``Chat`` object of the private chat with this user."""
        data: JsonDict = {"id": self.user_id, "type": "private", "first_name": self.first_name}
        if self.username is not None:
            data["username"] = self.username
        return data


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessage:
    """One message in a private chat at one moment (``text``/``caption`` as the user sees it)."""

    chat_id: int
    message_id: int
    sender_id: int
    from_bot: bool
    sent_at: datetime
    text: str | None = None
    caption: str | None = None
    source: str | None = None  # text or caption exactly as sent, before parse_mode
    parse_mode: str | None = None
    entities: tuple[TextEntity, ...] = ()
    reply_markup: JsonDict | None = None  # inline keyboards only, as Telegram returns them
    reply_keyboard: JsonDict | None = None  # ReplyKeyboardMarkup / Remove / ForceReply
    photo: StoredFile | None = None
    document: StoredFile | None = None
    edit_count: int = 0
    edited_at: datetime | None = None
    deleted: bool = False

    @property
    def keyboard(self) -> tuple[tuple[InlineButton, ...], ...]:
        """Rows of inline buttons currently attached."""
        return inline_keyboard(self.reply_markup)

    def buttons(self) -> list[tuple[str, str | None]]:
        """Every inline button as ``(text, callback_data)``, row by row."""
        return [(button.text, button.callback_data) for row in self.keyboard for button in row]

    def find_button(self, label: str) -> InlineButton | None:
        """The button whose text, else whose callback_data, equals ``label``."""
        flat = [button for row in self.keyboard for button in row]
        by_text = (button for button in flat if button.text == label)
        by_data = (button for button in flat if button.callback_data == label)
        return next(by_text, None) or next(by_data, None)

    @property
    def content(self) -> str:
        """Text or caption, ``""`` when the message has neither."""
        return self.text or self.caption or ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackQueryRecord:
    """A button press sent by a fake user (``forged`` when not taken from a real button)."""

    query_id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str
    forged: bool
    sent_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackAnswer:
    """The bot's ``answerCallbackQuery`` for one query."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time_s: int | None
    answered_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatAction:
    """One ``sendChatAction`` call ("typing", "upload_photo", ...)."""

    chat_id: int
    action: str
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """Decoded request parameters (JSON values already parsed) and uploaded file parts."""

    values: Mapping[str, Any]
    files: Mapping[str, UploadPart] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        """The raw decoded value, ``None`` when absent."""
        return self.values.get(name)

    def str_(self, name: str) -> str | None:
        """A string parameter (numbers are turned back into text)."""
        value = self.values.get(name)
        return None if value is None else str(value)

    def int_(self, name: str) -> int | None:
        """An integer parameter, 400 if it is not one."""
        value = self.values.get(name)
        if value is None or isinstance(value, int):
            return value
        try:
            return int(str(value))
        except ValueError as err:
            raise bad_request(f"invalid {name} specified") from err

    def bool_(self, name: str) -> bool:
        """A boolean parameter, ``False`` when absent."""
        value = self.values.get(name)
        return value is True or str(value).lower() == "true"


class WaitTimeoutError(AssertionError):
    """What a test awaited did not happen in time (an assertion failure, not a flaky error)."""


class FaultKind(StrEnum):
    """What an injected fault does to one request."""

    RETRY_AFTER = "retry_after"  # 429 with parameters.retry_after
    HTTP_ERROR = "http_error"  # any status, e.g. 500 / 502
    DROP = "drop"  # close the connection without answering
    DELAY = "delay"  # answer normally, but only after delay_s real seconds


class OutageMode(StrEnum):
    """How the whole server misbehaves during an outage."""

    REFUSE = "refuse"  # port closed: connections are refused
    DROP = "drop"  # connections accepted, requests read, then closed without an answer
    BAD_GATEWAY = "bad_gateway"  # an HTML 502 page, like Telegram's nginx front when it is down


@dataclass(frozen=True, slots=True, kw_only=True)
class Fault:
    """A fault to inject; build one with the class methods."""

    kind: FaultKind
    retry_after_s: int = 1
    enforced: bool = True  # a 429 bans the method for retry_after_s (clock time) like Telegram
    status: int = 500
    description: str = "Internal Server Error"
    delay_s: float = 0.0

    @classmethod
    def retry_after(cls, seconds: int, *, enforced: bool = True) -> Fault:
        """429 Too Many Requests; ``enforced`` answers 429 to every retry inside the window."""
        return cls(kind=FaultKind.RETRY_AFTER, retry_after_s=seconds, enforced=enforced)

    @classmethod
    def http_error(cls, status: int = 500, description: str = "Internal Server Error") -> Fault:
        """An error status with a Telegram-shaped JSON body."""
        return cls(kind=FaultKind.HTTP_ERROR, status=status, description=description)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection after reading the request, without answering."""
        return cls(kind=FaultKind.DROP)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer (and apply the call) only after ``seconds`` of real time."""
        return cls(kind=FaultKind.DELAY, delay_s=seconds)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiCall:
    """One request received on a ``/bot<token>/<method>`` URL, and what it was answered."""

    method: str
    params: Mapping[str, Any]
    files: Mapping[str, UploadPart]
    at: datetime  # clock time at arrival
    elapsed_s: float  # real seconds since the server started, at arrival
    status: int | None  # None: the connection was dropped without an answer
    fault: FaultKind | OutageMode | None
    result: object = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the call was answered 200."""
        return self.status == 200
