"""A real PTB Application, over real HTTP on 127.0.0.1, against the fake Telegram Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, TypeAlias

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import NetworkError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.telegram_api import FakeTelegramServer, OutageMode
from tests.fakes.telegram_user import ButtonNotFoundError, FakeUser, running_application

# PNG magic, an IHDR announcing 640x480, then bytes that would break a sloppy multipart parser.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    + (640).to_bytes(4, "big")
    + (480).to_bytes(4, "big")
    + bytes(range(256)) * 8
    + b"\r\n--\r\n\r\n\x00--boundary\r\n"
)
CSV_BYTES = b"when;soc_pct\n2025-01-01T00:00;55\n"

AnyApp: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


def _keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: an HTML greeting with two buttons."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "<b>Bonjour</b> &amp; bienvenue",
        parse_mode=ParseMode.HTML,
        reply_markup=_keyboard(("Plus", "more"), ("Fin", "end")),
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text: echoed back."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/chart: a photo and a document, both uploaded as multipart."""
    assert update.effective_message is not None
    assert update.effective_chat is not None
    await update.effective_chat.send_action("upload_photo")
    await update.effective_message.reply_photo(
        PNG_BYTES, caption="<b>SOC</b> du jour", parse_mode=ParseMode.HTML, filename="soc.png"
    )
    await update.effective_message.reply_document(CSV_BYTES, filename="export.csv")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer first, then edit the message in place (or refuse unknown data)."""
    query = update.callback_query
    assert query is not None
    await query.answer(text=f"ok {query.data}")
    if query.data == "more":
        await query.edit_message_text(
            "<i>Encore</i>", parse_mode=ParseMode.HTML, reply_markup=_keyboard(("Fin", "end"))
        )
    elif query.data == "end":
        await query.edit_message_reply_markup(None)
    else:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, f"refusé: {query.data}")


def build_app(server: FakeTelegramServer) -> AnyApp:
    """The small application used by these tests."""
    app = server.configure(Application.builder()).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("chart", chart))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@pytest.fixture
async def app(telegram: FakeTelegramServer) -> AsyncIterator[AnyApp]:
    """The application, polling the fake with short long-polls."""
    async with running_application(build_app(telegram), poll_timeout_s=0.5) as running:
        yield running


@pytest.fixture
def alice(telegram: FakeTelegramServer) -> FakeUser:
    """A French-speaking user."""
    return FakeUser(telegram, 1001, "Alice")


@pytest.mark.usefixtures("app")
async def test_command_reaches_handler_and_reply_arrives(
    telegram: FakeTelegramServer, alice: FakeUser
) -> None:
    sent = await alice.send("/start")
    reply = await alice.next_message(timeout=5)

    assert [e.type for e in sent.entities] == ["bot_command"]
    assert reply.text == "Bonjour & bienvenue"
    assert reply.source == "<b>Bonjour</b> &amp; bienvenue"
    assert [(e.type, e.offset, e.length) for e in reply.entities] == [("bold", 0, 7)]
    assert reply.buttons() == [("Plus", "more"), ("Fin", "end")]
    assert alice.keyboard(reply.message_id) == reply.buttons()
    assert [c.method for c in telegram.calls[:2]] == ["getMe", "deleteWebhook"]
    call = telegram.calls_to("sendMessage")[-1]
    assert call.params["chat_id"] == alice.chat_id
    assert call.params["parse_mode"] == "HTML"


@pytest.mark.usefixtures("app")
async def test_plain_text_is_echoed_in_order(alice: FakeUser) -> None:
    for text in ("22h30", "23h00", "/start", "fin"):
        await alice.send_text(text)

    replies = [await alice.next_message() for _ in range(4)]

    assert [r.text for r in replies] == [
        "echo: 22h30",
        "echo: 23h00",
        "Bonjour & bienvenue",
        "echo: fin",
    ]
    assert [r.message_id for r in replies] == sorted(r.message_id for r in replies)


@pytest.mark.usefixtures("app")
async def test_button_press_answers_then_edits_in_place(
    telegram: FakeTelegramServer, alice: FakeUser
) -> None:
    await alice.send("/start")
    menu = await alice.next_message()

    query = await alice.press(menu, "Plus")
    answer = await alice.wait_for_answer(query)
    edited = await alice.wait_for_edit(menu)

    assert answer.text == "ok more"
    assert edited.message_id == menu.message_id
    assert edited.text == "Encore"
    assert edited.buttons() == [("Fin", "end")]
    assert alice.current(menu).edit_count == 1
    with pytest.raises(ButtonNotFoundError, match="Plus"):
        await alice.press(menu, "Plus")  # gone from the current keyboard

    await alice.press(edited, "end")  # by callback_data
    cleared = await alice.wait_for_edit(edited)
    assert cleared.buttons() == []
    assert len(alice.messages) == 1
    assert telegram.calls_to("answerCallbackQuery")[-1].ok


@pytest.mark.usefixtures("app")
async def test_forged_callback_reaches_the_handler(alice: FakeUser) -> None:
    await alice.send("/start")
    await alice.next_message()

    query = await alice.press_forged("admin:wipe")
    refusal = await alice.next_message()

    assert query.forged
    assert refusal.text == "refusé: admin:wipe"
    assert (await alice.wait_for_answer(query)).text == "ok admin:wipe"


@pytest.mark.usefixtures("app")
async def test_photo_and_document_bytes_arrive_intact(
    telegram: FakeTelegramServer, alice: FakeUser
) -> None:
    await alice.send("/chart")
    photo = await alice.next_message()
    document = await alice.next_message()

    assert photo.photo is not None
    assert photo.photo.content == PNG_BYTES
    assert photo.photo.filename == "soc.png"
    assert (photo.photo.width_px, photo.photo.height_px) == (640, 480)
    assert photo.caption == "SOC du jour"
    assert document.document is not None
    assert document.document.content == CSV_BYTES
    assert document.document.filename == "export.csv"
    assert [a.action for a in alice.chat_actions] == ["upload_photo"]


async def test_uploaded_file_downloads_through_base_file_url(
    app: AnyApp,
    alice: FakeUser,
) -> None:
    await alice.send("/chart")
    photo = await alice.next_message()
    assert photo.photo is not None

    file = await app.bot.get_file(photo.photo.file_id)
    downloaded = await file.download_as_bytearray()

    assert bytes(downloaded) == PNG_BYTES


async def test_set_my_commands_is_stored_per_language_and_scope(
    telegram: FakeTelegramServer,
    app: AnyApp,
) -> None:
    bob = FakeUser(telegram, 1002, "Bob", language_code="en")
    carol = FakeUser(telegram, 1003, "Carol", language_code="de")
    admin = FakeUser(telegram, 1004, "Admin")
    await app.bot.set_my_commands([BotCommand("etat", "État des batteries")])
    await app.bot.set_my_commands([BotCommand("status", "Battery status")], language_code="en")
    await app.bot.set_my_commands(
        [BotCommand("status", "Status"), BotCommand("admin", "Admin")],
        scope=BotCommandScopeChat(admin.chat_id),
    )
    await app.bot.set_my_commands(
        [BotCommand("aide", "Aide")], scope=BotCommandScopeAllPrivateChats(), language_code="fr"
    )

    english = await app.bot.get_my_commands(language_code="en")

    assert [(c.command, c.description) for c in english] == [("status", "Battery status")]
    assert telegram.state.commands() == (("etat", "État des batteries"),)
    assert bob.visible_commands() == (("status", "Battery status"),)
    assert carol.visible_commands() == (("etat", "État des batteries"),)
    assert admin.visible_commands() == (("status", "Status"), ("admin", "Admin"))
    assert FakeUser(telegram, 1005, "Dan").visible_commands() == (("aide", "Aide"),)


@pytest.mark.parametrize("mode", [OutageMode.DROP, OutageMode.REFUSE])
async def test_polling_resumes_after_an_outage_without_losing_updates(
    telegram: FakeTelegramServer,
    app: AnyApp,
    alice: FakeUser,
    mode: OutageMode,
) -> None:
    since = len(telegram.calls)
    await telegram.set_outage(mode)  # the application's pending long poll is cut
    await alice.send_text("pendant la panne")
    if mode is OutageMode.DROP:
        dropped = await telegram.wait_for_call("getUpdates", since=since)
        assert (dropped.status, dropped.fault) == (None, OutageMode.DROP)
    else:
        with pytest.raises(NetworkError):
            async with Bot(telegram.token, base_url=telegram.base_url):
                pass
    await telegram.set_outage(None)

    reply = await alice.next_message(timeout=10)  # PTB backs off 1 s after a network error

    assert reply.text == "echo: pendant la panne"
    assert app.updater is not None
    assert app.updater.running


async def test_a_handler_exception_fails_the_test_on_exit(
    telegram: FakeTelegramServer, alice: FakeUser
) -> None:
    async def broken(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("avant")
        raise RuntimeError("boom")

    application = telegram.configure(Application.builder()).build()
    application.add_handler(CommandHandler("boom", broken))

    async def scenario() -> None:
        async with running_application(application, poll_timeout_s=0.5):
            await alice.send("/boom")
            await alice.next_message()

    with pytest.raises(AssertionError, match="boom"):
        await scenario()


async def test_no_update_is_delivered_twice_across_restarts(
    telegram: FakeTelegramServer, alice: FakeUser
) -> None:
    seen: list[str] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        seen.append(update.effective_message.text or "")
        await update.effective_message.reply_text("vu")

    for round_number in range(2):
        application = telegram.configure(Application.builder()).build()
        application.add_handler(MessageHandler(filters.TEXT, record))
        async with running_application(application, poll_timeout_s=0.5):
            for index in range(3):
                await alice.send_text(f"r{round_number}-m{index}")
            for _ in range(3):
                await alice.next_message()

    assert seen == [f"r{r}-m{i}" for r in range(2) for i in range(3)]
    assert telegram.state.pending_update_count == 0
