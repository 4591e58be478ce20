"""What a command and a feature are (a leaf module: features and the tables import it)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.telegram_ui.context import Context
from bot.telegram_ui.dialog import DialogState

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
ButtonHandler = Callable[[Update, Context, tuple[str, ...]], Coroutine[Any, Any, None]]
TextHandler = Callable[[Update, Context, DialogState], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandSpec:
    """One slash command: name, description key, handler and who may use it.

    ``english`` is the name shown in the English menu when the French one differs; both names
    work for everyone, whatever their language.
    """

    name: str
    text_key: str
    handler: Handler
    admin_only: bool = False
    english: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the command answers to."""
        return (self.name,) if self.english is None else (self.name, self.english)

    def name_in(self, lang: str) -> str:
        """The name shown to a reader of ``lang``."""
        return self.english if lang == "en" and self.english is not None else self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Feature:
    """A part of the bot: its commands, its buttons (``v1|<code>|…``) and its typed answers.

    ``on_button`` receives the arguments after the code, already checked against the callback
    alphabet; it must validate them itself. ``on_text`` receives the text a user typed while a
    dialog of this feature was open for them.
    """

    code: str
    commands: tuple[CommandSpec, ...] = ()
    on_button: ButtonHandler | None = None
    on_text: TextHandler | None = None
    admin_only_buttons: bool = False
