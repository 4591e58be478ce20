"""The user side of the fake Telegram: type commands, press buttons, await the bot's replies.

A :class:`FakeUser` chats with the bot in a private chat of the :class:`FakeTelegramServer`.
Nothing sleeps: every wait re-checks the server's state each time a request reaches it, and
fails with :class:`WaitTimeoutError` (showing the chat so far) when the deadline passes.

Example::

    alice = FakeUser(telegram, 1001, "Alice")            # language_code="fr"
    async with running_application(app):
        await alice.send("/status")
        status = await alice.next_message()
        assert status.buttons() == [("Rafraîchir", "st:refresh")]
        query = await alice.press(status, "Rafraîchir")
        assert (await alice.wait_for_answer(query)).text is None
        refreshed = await alice.wait_for_edit(status)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any, TypeVar

from telegram.ext import Application, ContextTypes

from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.telegram_values import (
    CallbackAnswer,
    CallbackQueryRecord,
    ChatAction,
    ChatMessage,
    UserProfile,
    WaitTimeoutError,
)

_T = TypeVar("_T")
_AppT = TypeVar("_AppT", bound="Application[Any, Any, Any, Any, Any, Any]")


class ButtonNotFoundError(AssertionError):
    """The user tried to press a button that the message does not (or no longer) show."""


class FakeUser:
    """A Telegram user in a private chat with the bot (``chat_id == user_id``)."""

    def __init__(
        self,
        server: FakeTelegramServer,
        user_id: int,
        first_name: str,
        language_code: str | None = "fr",
        *,
        username: str | None = None,
    ) -> None:
        self.server = server
        self.profile = UserProfile(
            user_id=user_id, first_name=first_name, username=username, language_code=language_code
        )
        server.state.add_user(self.profile)
        self._seen_message_id = 0

    @property
    def user_id(self) -> int:
        """The Telegram user id, also the id of the private chat."""
        return self.profile.user_id

    @property
    def chat_id(self) -> int:
        """The id of the private chat with the bot."""
        return self.profile.user_id

    # --- acting --------------------------------------------------------------------------
    async def send(self, text: str) -> ChatMessage:
        """Send a message; ``/commands`` in it get ``bot_command`` entities like in Telegram."""
        return self.server.deliver_message(self.user_id, text)

    async def send_text(self, text: str) -> ChatMessage:
        """Send a plain answer ("22h30"), e.g. to a conversation's question."""
        return self.server.deliver_message(self.user_id, text)

    async def press(self, message: ChatMessage | int, button: str) -> CallbackQueryRecord:
        """Press the inline button with this text (else this callback_data) on the message's
        current keyboard; refuse if it is not there."""
        current = self.current(message)
        found = None if current.deleted else current.find_button(button)
        if found is None or found.callback_data is None:
            raise ButtonNotFoundError(
                f"no callback button {button!r} on message {current.message_id}"
                f"{' (deleted)' if current.deleted else ''}; it shows {current.buttons()}"
            )
        return self.server.deliver_callback(
            self.user_id, current, found.callback_data, forged=False
        )

    async def press_forged(
        self, data: str, *, message: ChatMessage | int | None = None
    ) -> CallbackQueryRecord:
        """Send a callback query with arbitrary ``data`` (a hostile or outdated client),
        attached to ``message`` or else to the bot's last message."""
        target = self.current(message) if message is not None else self.last_message
        return self.server.deliver_callback(self.user_id, target, data, forged=True)

    def block_bot(self) -> None:
        """Block the bot: its calls to this chat now fail with 403 Forbidden."""
        self.server.state.blocked_by.add(self.user_id)

    def unblock_bot(self) -> None:
        """Unblock the bot."""
        self.server.state.blocked_by.discard(self.user_id)

    # --- reading -------------------------------------------------------------------------
    @property
    def messages(self) -> list[ChatMessage]:
        """The bot's messages in this chat, current versions, deleted ones left out."""
        return [m for m in self.server.state.messages(self.chat_id) if not m.deleted]

    @property
    def last_message(self) -> ChatMessage | None:
        """The bot's most recent message still shown, if any."""
        shown = self.messages
        return shown[-1] if shown else None

    def current(self, message: ChatMessage | int) -> ChatMessage:
        """The current version of a message of this chat (after edits / deletion)."""
        message_id = message if isinstance(message, int) else message.message_id
        return self.server.state.message(self.chat_id, message_id)

    def keyboard(self, message: ChatMessage | int) -> list[tuple[str, str | None]]:
        """The message's current inline buttons as ``(text, callback_data)``."""
        return self.current(message).buttons()

    @property
    def chat_actions(self) -> list[ChatAction]:
        """``sendChatAction`` calls made to this chat."""
        return [a for a in self.server.state.chat_actions if a.chat_id == self.chat_id]

    def visible_commands(self) -> tuple[tuple[str, str], ...]:
        """The command menu this user's Telegram client would show (scope and language)."""
        return self.server.state.visible_commands(self.user_id, self.profile.language_code or "")

    # --- waiting -------------------------------------------------------------------------
    # `timeout` (seconds) is the suite's agreed helper signature, hence the ASYNC109 waivers.
    async def next_message(self, timeout: float = 5.0) -> ChatMessage:  # noqa: ASYNC109
        """The bot's next message in this chat after the last one this method returned."""

        def unseen() -> ChatMessage | None:
            return next(
                (
                    m
                    for m in self.server.state.messages(self.chat_id)
                    if m.message_id > self._seen_message_id
                ),
                None,
            )

        message = await self._wait(unseen, timeout, "a new message from the bot")
        self._seen_message_id = message.message_id
        return message

    def skip_pending(self) -> None:
        """Mark every message sent so far as seen by :meth:`next_message`."""
        sent = self.server.state.messages(self.chat_id)
        self._seen_message_id = sent[-1].message_id if sent else self._seen_message_id

    async def wait_for(
        self,
        predicate: Callable[[ChatMessage], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> ChatMessage:
        """The first bot message of this chat (current version) matching ``predicate``."""

        def matching() -> ChatMessage | None:
            return next((m for m in self.messages if predicate(m)), None)

        return await self._wait(matching, timeout, "a bot message matching the predicate")

    async def wait_for_edit(
        self,
        message: ChatMessage,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> ChatMessage:
        """The message's next version (edited after the snapshot ``message``)."""

        def edited() -> ChatMessage | None:
            current = self.current(message)
            return current if current.edit_count > message.edit_count else None

        return await self._wait(edited, timeout, f"an edit of message {message.message_id}")

    async def wait_for_answer(
        self,
        query: CallbackQueryRecord,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """The bot's ``answerCallbackQuery`` for a press."""
        return await self._wait(
            lambda: self.server.state.callback_answers.get(query.query_id),
            timeout,
            f"the answer to callback query {query.data!r}",
        )

    async def _wait(self, condition: Callable[[], _T | None], timeout_s: float, what: str) -> _T:
        try:
            return await self.server.wait_until(condition, timeout_s=timeout_s, what=what)
        except WaitTimeoutError as err:
            raise WaitTimeoutError(
                f"{err}; chat with {self.profile.first_name}: {self._transcript()}"
            ) from None

    def _transcript(self) -> str:
        lines = [
            f"[{m.message_id}{' bot' if m.from_bot else ' user'}] {m.content!r} {m.buttons()}"
            for m in self.server.state.messages(self.chat_id, from_bot=None)[-8:]
        ]
        return "; ".join(lines) or "(empty)"


@asynccontextmanager
async def running_application(
    application: _AppT, *, poll_timeout_s: float = 1.0, fail_on_handler_error: bool = True
) -> AsyncIterator[_AppT]:
    """Initialize, start and long-poll a PTB application; stop it cleanly on exit.

    With ``fail_on_handler_error`` an exception raised by a handler fails the test on exit
    (PTB would otherwise only log it).
    """
    errors: list[BaseException] = []

    async def record_error(_update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            errors.append(context.error)

    if fail_on_handler_error:
        application.add_error_handler(record_error)
    await application.initialize()
    try:
        await application.start()
        try:
            updater = application.updater
            if updater is None:
                raise RuntimeError("the application was built without an Updater")
            await updater.start_polling(poll_interval=0, timeout=timedelta(seconds=poll_timeout_s))
            try:
                yield application
            finally:
                if updater.running:
                    await updater.stop()
        finally:
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()
        if fail_on_handler_error:
            application.remove_error_handler(record_error)
    if errors:
        raise AssertionError(f"a handler raised {errors[0]!r}") from errors[0]
