"""The Bot API rules the fake enforces (limits, HTML, keyboards, edits), and its pure parsers."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from tests.fakes.telegram_api import FakeTelegramServer, WaitTimeoutError
from tests.fakes.telegram_http import HttpRequest, decode_params
from tests.fakes.telegram_markup import command_entities, parse_html
from tests.fakes.telegram_user import FakeUser
from tests.fakes.telegram_values import ApiError, TextEntity


def _markup(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])


@pytest.fixture
def alice(telegram: FakeTelegramServer) -> FakeUser:
    """A registered user."""
    return FakeUser(telegram, 1001, "Alice")


@pytest.mark.parametrize(
    ("text", "parse_mode", "error"),
    [
        ("", None, "Message text is empty"),
        ("  \n", None, "Message text is empty"),
        ("x" * 4097, None, "Message is too long"),
        ("😀" * 2049, None, "Message is too long"),  # 4098 UTF-16 units
        ("<b></b>", ParseMode.HTML, "Message text is empty"),
        ("SOC < 20 %", ParseMode.HTML, "Can't parse entities"),
        ("<b>gras", ParseMode.HTML, "Can't parse entities"),
        ("<blink>x</blink>", ParseMode.HTML, "unsupported start tag"),
        ("x", "Textile", "Unsupported parse_mode"),
    ],
)
async def test_send_message_refuses_what_telegram_refuses(
    bot: Bot, alice: FakeUser, text: str, parse_mode: str | None, error: str
) -> None:
    with pytest.raises(BadRequest, match=error):
        await bot.send_message(alice.chat_id, text, parse_mode=parse_mode)

    assert alice.messages == []


async def test_longest_text_and_callback_data_are_accepted(bot: Bot, alice: FakeUser) -> None:
    await bot.send_message(alice.chat_id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(alice.chat_id, "ok", reply_markup=_markup("é" * 32))  # 64 bytes

    assert [len(m.content) for m in alice.messages] == [4096, 2]


async def test_callback_data_over_64_bytes_is_button_data_invalid(
    bot: Bot, alice: FakeUser
) -> None:
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(alice.chat_id, "x", reply_markup=_markup("é" * 32 + "x"))


async def test_identical_edit_is_not_modified(bot: Bot, alice: FakeUser) -> None:
    sent = await bot.send_message(alice.chat_id, "<b>a</b>", parse_mode=ParseMode.HTML)

    with pytest.raises(BadRequest, match="Message is not modified"):
        await sent.edit_text("<b>a</b>", parse_mode=ParseMode.HTML)
    await sent.edit_text("a")  # same letters, no bold: modified
    with pytest.raises(BadRequest, match="Message is not modified"):
        await sent.edit_reply_markup(None)
    await sent.edit_reply_markup(_markup("go"))

    current = alice.current(sent.message_id)
    assert (current.text, current.entities, current.edit_count) == ("a", (), 2)
    assert current.buttons() == [("Go", "go")]


async def test_edit_text_without_markup_removes_the_keyboard(bot: Bot, alice: FakeUser) -> None:
    sent = await bot.send_message(alice.chat_id, "a", reply_markup=_markup("go"))

    await sent.edit_text("b")

    assert alice.current(sent.message_id).buttons() == []


async def test_edit_and_delete_errors(bot: Bot, alice: FakeUser) -> None:
    typed = await alice.send_text("bonjour")
    sent = await bot.send_message(alice.chat_id, "a")

    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("b", chat_id=alice.chat_id, message_id=typed.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("b", chat_id=alice.chat_id, message_id=99)
    assert await sent.delete()
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await sent.delete()
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await sent.edit_text("b")

    assert alice.messages == []
    assert alice.current(sent.message_id).deleted


async def test_unknown_chat_and_blocked_user(bot: Bot, alice: FakeUser) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "x")
    alice.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice.chat_id, "x")
    alice.unblock_bot()

    assert (await bot.send_message(alice.chat_id, "x")).text == "x"


async def test_callback_query_can_be_answered_once(
    telegram: FakeTelegramServer, bot: Bot, alice: FakeUser
) -> None:
    menu = await bot.send_message(alice.chat_id, "menu", reply_markup=_markup("go"))
    query = await alice.press(menu.message_id, "Go")

    assert await bot.answer_callback_query(query.query_id, text="fait")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query.query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123")
    answer = await alice.wait_for_answer(query, timeout=1)
    assert (answer.text, answer.show_alert) == ("fait", False)
    assert telegram.state.callback_queries[query.query_id].data == "go"


async def test_photo_must_be_an_image(bot: Bot, alice: FakeUser) -> None:
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(alice.chat_id, b"not an image", filename="x.png")
    with pytest.raises(BadRequest, match="File must be non-empty"):
        await bot.send_document(alice.chat_id, b"", filename="empty.csv")


async def test_waiting_for_nothing_fails_with_the_chat_transcript(
    bot: Bot, alice: FakeUser
) -> None:
    await alice.send_text("allo ?")

    with pytest.raises(WaitTimeoutError, match=r"allo \?"):
        await alice.next_message(timeout=0.05)
    await bot.send_message(alice.chat_id, "oui")
    assert (await alice.next_message(timeout=1)).text == "oui"


def test_parse_html_offsets_are_utf16_and_nested() -> None:
    parsed = parse_html(
        '😀 <b>gras <i>italique</i></b> <a href="https://x.example/?a=1&amp;b=2">lien</a>'
        ' <pre><code class="language-python">x &lt; 1</code></pre>'
    )

    assert parsed.text == "😀 gras italique lien x < 1"
    assert parsed.entities == (
        TextEntity(type="bold", offset=3, length=13),
        TextEntity(type="italic", offset=8, length=8),
        TextEntity(type="text_link", offset=17, length=4, url="https://x.example/?a=1&b=2"),
        TextEntity(type="pre", offset=22, length=5, language="python"),
    )


def test_parse_html_rejects_crossed_tags() -> None:
    with pytest.raises(ApiError, match="Unmatched end tag"):
        parse_html("<b><i>x</b></i>")


def test_command_entities_find_commands_and_mentions() -> None:
    entities = command_entities("/start@marstek_test_bot puis /etat mais pas a/b ni /x/y")

    assert [(e.offset, e.length) for e in entities] == [(0, 23), (29, 5)]


def test_multipart_fields_are_decoded_and_files_kept() -> None:
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="chat_id"\r\n\r\n42\r\n'
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="caption"\r\n\r\n123\r\n'
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="photo"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x00\r\n"
        b"--XyZ--\r\n"
    )
    request = HttpRequest(
        method="POST",
        target="/botT/sendPhoto",
        headers={"content-type": "multipart/form-data; boundary=XyZ"},
        body=body,
    )

    values, files = decode_params(request)

    assert values == {"chat_id": 42, "caption": "123"}  # captions stay text
    assert files["photo"].content == b"\x89PNG\r\n\x00"
    assert (files["photo"].filename, files["photo"].content_type) == ("a.png", "image/png")
