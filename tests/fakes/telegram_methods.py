"""The synchronous Bot API methods of the fake server, on top of :class:`BotApiState`.

Each method takes decoded :class:`Params` and returns the JSON ``result`` or raises
:class:`ApiError` with Telegram's wording. ``getUpdates`` is not here: its long-polling wait lives
in :mod:`tests.fakes.telegram_api`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tests.fakes.telegram_markup import utf16_len
from tests.fakes.telegram_state import BotApiState
from tests.fakes.telegram_values import (
    ApiError,
    CallbackAnswer,
    ChatAction,
    ChatMessage,
    JsonDict,
    Params,
    bad_request,
)

_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
# (set method, get method, result field) of the bot's profile texts
_BOT_TEXTS = (
    ("setmydescription", "getmydescription", "description"),
    ("setmyshortdescription", "getmyshortdescription", "short_description"),
    ("setmyname", "getmyname", "name"),
)


class BotApiMethods:
    """Dispatch table of the synchronous Bot API methods."""

    def __init__(self, state: BotApiState) -> None:
        self.state = state
        self._table: dict[str, Callable[[Params], object]] = {
            "getme": self._get_me,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": self._send_chat_action,
            "getfile": self._get_file,
            "getchat": self._get_chat,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "close": lambda _params: True,
            "logout": lambda _params: True,
        }
        for set_name, get_name, result_field in _BOT_TEXTS:
            self._table[set_name] = self._bot_text_setter(result_field)
            self._table[get_name] = self._bot_text_getter(result_field)

    def call(self, method: str, params: Params) -> object:
        """Run one method (names are case-insensitive, like Telegram's)."""
        handler = self._table.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(params)

    # --- bot and webhook -----------------------------------------------------------------
    def _get_me(self, _params: Params) -> JsonDict:
        return self.state.bot.to_api() | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, params: Params) -> bool:
        self.state.webhook_url = ""
        if params.bool_("drop_pending_updates"):
            self.state.drop_pending()
        return True

    def _set_webhook(self, params: Params) -> bool:
        self.state.webhook_url = params.str_("url") or ""
        if params.bool_("drop_pending_updates"):
            self.state.drop_pending()
        return True

    def _get_webhook_info(self, _params: Params) -> JsonDict:
        return {
            "url": self.state.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": self.state.pending_update_count,
        }

    def _bot_text_setter(self, result_field: str) -> Callable[[Params], object]:
        def setter(params: Params) -> bool:
            language = params.str_("language_code") or ""
            self.state.bot_texts[(result_field, language)] = params.str_(result_field) or ""
            return True

        return setter

    def _bot_text_getter(self, result_field: str) -> Callable[[Params], object]:
        def getter(params: Params) -> JsonDict:
            language = params.str_("language_code") or ""
            return {result_field: self.state.bot_texts.get((result_field, language), "")}

        return getter

    # --- commands ------------------------------------------------------------------------
    def _set_my_commands(self, params: Params) -> bool:
        raw = params.get("commands")
        if not isinstance(raw, list):
            raise bad_request("can't parse commands JSON object")
        if len(raw) > 100:
            raise bad_request("too many commands specified")
        commands: list[tuple[str, str]] = []
        for item in raw:
            name = item.get("command") if isinstance(item, dict) else None
            description = item.get("description") if isinstance(item, dict) else None
            if not isinstance(name, str) or not _COMMAND_NAME_RE.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            commands.append((name, description))
        self.state.set_commands(self.state.commands_key(params), tuple(commands))
        return True

    def _get_my_commands(self, params: Params) -> list[JsonDict]:
        scope, language = self.state.commands_key(params)
        return [
            {"command": name, "description": description}
            for name, description in self.state.stored_commands(scope, language)
        ]

    def _delete_my_commands(self, params: Params) -> bool:
        self.state.set_commands(self.state.commands_key(params), ())
        return True

    # --- sending -------------------------------------------------------------------------
    def _send_message(self, params: Params) -> JsonDict:
        parsed = self.state.rendered(params, "text")
        return self.state.send(
            params, text=parsed.text, source=params.str_("text"), entities=parsed.entities
        )

    def _send_photo(self, params: Params) -> JsonDict:
        return self._send_media(params, "photo")

    def _send_document(self, params: Params) -> JsonDict:
        return self._send_media(params, "document")

    def _send_media(self, params: Params, kind: str) -> JsonDict:
        self.state.chat(params)  # a missing chat is reported before a bad file, like Telegram
        caption = params.str_("caption")
        parsed = self.state.rendered(params, "caption") if caption else None
        stored = self.state.input_file(params, kind, photo=kind == "photo")
        content: dict[str, Any] = {kind: stored}
        if parsed is not None:
            content |= {"caption": parsed.text, "source": caption, "entities": parsed.entities}
        return self.state.send(params, **content)

    def _send_chat_action(self, params: Params) -> bool:
        chat = self.state.chat(params)
        action = params.str_("action")
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.state.chat_actions.append(
            ChatAction(chat_id=chat.user_id, action=action, at=self.state.clock.now())
        )
        return True

    # --- editing and deleting ------------------------------------------------------------
    def _target(self, params: Params, *, action: str) -> ChatMessage:
        if params.get("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")  # inline messages are not faked
        chat = self.state.chat(params)
        message_id = params.int_("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self.state.find_message(chat.user_id, message_id)
        if message is None or message.deleted:
            raise bad_request(f"message to {action} not found")
        return message

    def _editable(self, params: Params) -> ChatMessage:
        message = self._target(params, action="edit")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _edit_message_text(self, params: Params) -> JsonDict:
        message = self._editable(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        parsed = self.state.rendered(params, "text")
        inline, _ = self.state.markups(params, inline_only=True)
        return self._apply_edit(
            message,
            replace(
                message,
                text=parsed.text,
                source=params.str_("text"),
                parse_mode=params.str_("parse_mode"),
                entities=parsed.entities,
                reply_markup=inline,  # like Telegram: no reply_markup removes the keyboard
            ),
        )

    def _edit_message_caption(self, params: Params) -> JsonDict:
        message = self._editable(params)
        if message.photo is None and message.document is None:
            raise bad_request("there is no caption in the message to edit")
        caption = params.str_("caption")
        parsed = self.state.rendered(params, "caption") if caption else None
        inline, _ = self.state.markups(params, inline_only=True)
        return self._apply_edit(
            message,
            replace(
                message,
                caption=None if parsed is None else parsed.text,
                source=caption,
                parse_mode=params.str_("parse_mode"),
                entities=() if parsed is None else parsed.entities,
                reply_markup=inline,
            ),
        )

    def _edit_message_reply_markup(self, params: Params) -> JsonDict:
        message = self._editable(params)
        inline, _ = self.state.markups(params, inline_only=True)
        return self._apply_edit(message, replace(message, reply_markup=inline))

    def _apply_edit(self, old: ChatMessage, new: ChatMessage) -> JsonDict:
        if (new.text, new.caption, new.entities, new.reply_markup) == (
            old.text,
            old.caption,
            old.entities,
            old.reply_markup,
        ):
            raise bad_request(_NOT_MODIFIED)
        edited = replace(new, edit_count=old.edit_count + 1, edited_at=self.state.clock.now())
        return self.state.message_api(self.state.store_message(edited))

    def _delete_message(self, params: Params) -> bool:
        message = self._target(params, action="delete")
        self.state.store_message(replace(message, deleted=True))
        return True

    # --- callbacks, files, chats ---------------------------------------------------------
    def _answer_callback_query(self, params: Params) -> bool:
        query_id = params.str_("callback_query_id") or ""
        if query_id not in self.state.callback_queries or query_id in self.state.callback_answers:
            raise bad_request(_QUERY_INVALID)
        text = params.str_("text")
        if text is not None and utf16_len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.state.callback_answers[query_id] = CallbackAnswer(
            query_id=query_id,
            text=text,
            show_alert=params.bool_("show_alert"),
            url=params.str_("url"),
            cache_time_s=params.int_("cache_time"),
            answered_at=self.state.clock.now(),
        )
        return True

    def _get_file(self, params: Params) -> JsonDict:
        stored = self.state.files.get(params.str_("file_id") or "")
        if stored is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        return stored.to_api() | {"file_path": stored.file_path}

    def _get_chat(self, params: Params) -> JsonDict:
        return self.state.chat(params).chat_api() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }

    def _set_chat_menu_button(self, params: Params) -> bool:
        chat_id = None if params.get("chat_id") is None else self.state.chat(params).user_id
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or "type" not in button:
            raise bad_request("can't parse menu button JSON object")
        self.state.menu_buttons[chat_id] = button
        return True

    def _get_chat_menu_button(self, params: Params) -> JsonDict:
        chat_id = None if params.get("chat_id") is None else self.state.chat(params).user_id
        fallback = self.state.menu_buttons.get(None, {"type": "commands"})
        return self.state.menu_buttons.get(chat_id, fallback)
