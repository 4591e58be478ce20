"""Pure rules of the fake Telegram Bot API: HTML parse mode, text limits, keyboards, commands.

Nothing here does I/O; :mod:`tests.fakes.telegram_methods` applies these rules to stored chats.
The checks mirror what the real Bot API refuses, where that is cheap to reproduce, so a bot bug
(an unescaped ``<`` in a device name, a 65-byte ``callback_data``) fails in tests as it would live.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from tests.fakes.telegram_values import (
    InlineButton,
    JsonDict,
    ParsedText,
    TextEntity,
    bad_request,
)

MAX_TEXT_UTF16 = 4096
MAX_CAPTION_UTF16 = 1024
MAX_CALLBACK_DATA_BYTES = 64


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_ATTR_RE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_HTML_ENTITY_RE = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")


@dataclass(slots=True)
class _OpenTag:
    name: str
    offset: int
    attrs: dict[str, str]


def _attrs(raw: str) -> dict[str, str]:
    return {
        name.lower(): html.unescape(value.strip("\"'")) if value else ""
        for name, value in _ATTR_RE.findall(raw)
    }


def _close(tag: _OpenTag, end: int, inner_code_language: str | None) -> TextEntity | None:
    if end == tag.offset:
        return None  # Telegram silently drops empty entities
    kind = _ENTITY_TYPES[tag.name]
    if tag.name == "blockquote" and "expandable" in tag.attrs:
        kind = "expandable_blockquote"
    return TextEntity(
        type=kind,
        offset=tag.offset,
        length=end - tag.offset,
        url=tag.attrs.get("href") if tag.name == "a" else None,
        language=inner_code_language if tag.name == "pre" else None,
    )


def parse_html(source: str) -> ParsedText:
    """Parse Telegram's HTML subset like the Bot API does, or raise a 400 ``ApiError``."""
    out: list[str] = []
    position = 0  # in UTF-16 units of the visible text
    stack: list[_OpenTag] = []
    entities: list[TextEntity] = []
    code_language: str | None = None
    index = 0
    while index < len(source):
        char = source[index]
        if char == "&" and (entity := _HTML_ENTITY_RE.match(source, index)):
            decoded = html.unescape(entity.group(0))
            out.append(decoded)
            position += utf16_len(decoded)
            index = entity.end()
            continue
        if char != "<":
            out.append(char)
            position += utf16_len(char)
            index += 1
            continue
        tag = _TAG_RE.match(source, index)
        byte_offset = len(source[:index].encode())
        if tag is None:
            raise bad_request(
                f"can't parse entities: Unexpected character '<' at byte offset {byte_offset}"
            )
        closing, name, raw_attrs = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        if name not in _ENTITY_TYPES:
            raise bad_request(
                f'can\'t parse entities: Unsupported start tag "{name}" at byte offset '
                f"{byte_offset}"
            )
        if not closing:
            attrs = _attrs(raw_attrs)
            if name == "code" and stack and stack[-1].name == "pre":
                code_language = attrs.get("class", "").removeprefix("language-") or None
            stack.append(_OpenTag(name=name, offset=position, attrs=attrs))
        elif not stack or stack[-1].name != name:
            raise bad_request(
                f"can't parse entities: Unmatched end tag at byte offset {byte_offset}, expected \""
                f'</{stack[-1].name if stack else ""}>", found "</{name}>"'
            )
        else:
            open_tag = stack.pop()
            in_pre = open_tag.name == "code" and bool(stack) and stack[-1].name == "pre"
            closed = None if in_pre else _close(open_tag, position, code_language)
            if closed is not None:
                entities.append(closed)
            if open_tag.name == "pre":
                code_language = None
        index = tag.end()
    if stack:
        raise bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag \""
            f'{stack[-1].name}"'
        )
    entities.sort(key=lambda item: (item.offset, -item.length))
    return ParsedText(text="".join(out), entities=tuple(entities))


def render_text(source: str, parse_mode: str | None, *, limit_utf16: int, what: str) -> ParsedText:
    """Apply ``parse_mode`` and Telegram's emptiness / length rules to a text or a caption."""
    mode = parse_mode.lower() if parse_mode else None
    if mode == "html":
        parsed = parse_html(source)
    elif mode in (None, "markdown", "markdownv2"):
        parsed = ParsedText(text=source)  # Markdown is stored as sent: not parsed by the fake
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    if what == "text" and not parsed.text.strip():
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > limit_utf16:
        raise bad_request(
            "message is too long" if what == "text" else "message caption is too long"
        )
    return parsed


def _button(raw: object) -> InlineButton:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed")
    data, url = raw.get("callback_data"), raw.get("url")
    if data is not None:
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif url is not None:
        if not isinstance(url, str) or not url:
            raise bad_request("BUTTON_URL_INVALID")
    elif len(raw) == 1:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if not raw["text"]:
        raise bad_request("BUTTON_TEXT_INVALID")
    return InlineButton(text=raw["text"], callback_data=data, url=url)


def parse_reply_markup(value: object, *, inline_only: bool) -> JsonDict | None:
    """Validate a ``reply_markup`` (JSON text or object); ``None`` when absent."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as err:
            raise bad_request("can't parse reply keyboard markup JSON object") from err
    if not isinstance(value, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in value:
        rows = value["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'can\'t parse inline keyboard: field "inline_keyboard" must be an Array'
            )
        for row in rows:
            for raw in row:
                _button(raw)
        return value
    if inline_only:
        raise bad_request("inline keyboard expected")
    if not {"keyboard", "remove_keyboard", "force_reply"} & value.keys():
        raise bad_request("can't parse reply keyboard markup JSON object")
    return value


_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


def command_entities(text: str) -> tuple[TextEntity, ...]:
    """Find ``/command`` and ``/command@bot`` tokens the way Telegram clients mark them."""
    return tuple(
        TextEntity(
            type="bot_command",
            offset=utf16_len(text[: match.start()]),
            length=utf16_len(match.group(0)),
        )
        for match in _COMMAND_RE.finditer(text)
    )
