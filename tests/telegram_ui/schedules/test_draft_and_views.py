"""The draft kept in the dialog, the order of questions, and rules in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.storage.models import ScheduleRule, StoredSetting
from bot.telegram_ui.callbacks import MAX_BYTES
from bot.telegram_ui.schedules import views
from bot.telegram_ui.schedules.draft import SAVE, Draft, next_step
from bot.telegram_ui.schedules.parsing import ALL_DAYS, WEEKDAYS, WEEKEND
from bot.telegram_ui.schedules.validation import BatteryRef, RuleMode

T0 = datetime(2026, 1, 14, 9, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
RULE = ScheduleRule(
    id=12,
    days_mask=WEEKDAYS,
    start=time(22),
    end=time(6),
    mode="charge",
    power_w=1500.0,
    enabled=True,
    battery_id=None,
    created_by="1001",
    created_at=T0,
    updated_at=T0,
)


def test_draft_round_trips_through_json() -> None:
    draft = Draft(
        battery="3",
        days_mask=WEEKEND,
        start=time(9, 30),
        end=time(11),
        mode=RuleMode.CHARGE,
        power_w=800,
    )
    assert Draft.from_json(draft.to_json()) == draft
    assert draft.battery_id == 3
    assert Draft.from_json(Draft().to_json()) == Draft()
    complete = draft.complete()
    assert complete is not None
    assert (complete.battery_id, complete.power_w, complete.rule_id) == (3, 800, None)


@pytest.mark.parametrize(
    "data",
    [
        {"battery": "x"},
        {"battery": 3},
        {"days_mask": 0},
        {"days_mask": 200},
        {"days_mask": True},
        {"start": "25:00"},
        {"start": "10:00:30"},
        {"mode": "Passive"},
        {"power_w": "1500"},
        {"rule_id": 1.5},
    ],
)
def test_tampered_dialog_data_is_not_a_draft(data: dict[str, object]) -> None:
    assert Draft.from_json(data) is None


def test_a_rule_becomes_a_draft_to_edit() -> None:
    draft = Draft.from_rule(RULE)
    assert draft.editing
    assert (draft.battery, draft.mode, draft.power_w) == ("*", RuleMode.CHARGE, 1500)
    assert draft.with_mode(RuleMode.AUTO).power_w is None
    assert draft.with_mode(RuleMode.DISCHARGE).power_w == 1500


def test_question_order_when_adding_and_editing() -> None:
    adding = Draft(mode=RuleMode.AUTO)
    assert [next_step(s, adding) for s in ("battery", "days", "start", "end")] == [
        "days",
        "start",
        "end",
        "mode",
    ]
    assert next_step("mode", adding) == "confirm"  # no power for Auto
    assert next_step("mode", Draft(mode=RuleMode.CHARGE)) == "power"
    assert next_step("power", Draft(mode=RuleMode.CHARGE)) == "confirm"
    editing = Draft.from_rule(RULE)
    assert next_step("end", editing) == SAVE
    assert next_step("mode", editing) == "power"
    assert next_step("mode", editing.with_mode(RuleMode.UPS)) == SAVE


@pytest.mark.parametrize(
    ("mask", "fr", "en"),
    [
        (ALL_DAYS, "tous les jours", "every day"),
        (WEEKDAYS, "lun–ven", "Mon–Fri"),
        (WEEKEND, "week-end", "weekend"),
        (0b0010101, "lun, mer, ven", "Mon, Wed, Fri"),
        (0b1110001, "ven–lun", "Fri–Mon"),
        (0b1000001, "dim, lun", "Sun, Mon"),
        (0b0111011, "lun, mar, jeu–sam", "Mon, Tue, Thu–Sat"),
    ],
)
def test_days_in_words(mask: int, fr: str, en: str) -> None:
    assert views.days_label(mask, "fr") == fr
    assert views.days_label(mask, "en") == en


def test_rule_in_words() -> None:
    names = {3: "Venus <3>"}
    assert views.window_label(time(22), time(6), "fr") == "22h00 → 06h00 (lendemain)"
    assert views.window_label(time(18), time(0), "en") == "18:00 → 00:00"
    assert views.mode_label("charge", 1500, "fr") == "charge forcée à 1,5 kW"
    assert views.mode_label("Passive", None, "fr") == "Passive"
    assert views.battery_label(3, names, "fr") == "Venus &lt;3&gt;"
    assert views.battery_label(4, names, "en") == "battery #4 (no longer watched)"
    line = views.rule_line(RULE, names, "fr")
    assert line == (
        "✅ <b>n°12</b> · lun–ven · 22h00 → 06h00 (lendemain) · charge forcée à 1,5 kW · "
        "Toutes les batteries"
    )


def test_rule_detail_says_who_created_and_changed_it() -> None:
    change = StoredSetting(
        key="schedules.change:12",
        value={"action": "disabled"},
        updated_by="2002",
        updated_at=datetime(2026, 1, 15, 20, 5, tzinfo=UTC),
    )
    text = views.rule_text(RULE, {}, change, reader_id=1001, lang="fr", tz=PARIS)
    assert "Créée par vous le 14/01/2026 à 10h00." in text
    assert "Désactivée par <code>2002</code> le 15/01/2026 à 21h05." in text
    english = views.rule_text(RULE, {}, None, reader_id=7, lang="en", tz=PARIS)
    assert "Created by <code>1001</code> on 14/01/2026 at 10:00." in english


def test_every_button_fits_telegram_limits() -> None:
    rules = [RULE] * 30
    markups = [
        views.list_keyboard(rules, "fr"),
        views.rule_keyboard(RULE, "fr"),
        views.edit_keyboard(RULE, "fr"),
        views.delete_keyboard(RULE, 99_999_999_999, "fr"),
    ]
    refs = [BatteryRef(battery_id=999_999_999, name="x" * 40, max_power_w=2500)]
    for step in ("battery", "days", "start", "end", "mode", "power", "confirm"):
        _, markup = views.question(
            step, Draft(), batteries=refs, names={}, max_power_w=2500, lang="en"
        )
        markups.append(markup)
    for markup in markups:
        for row in markup.inline_keyboard:
            for button in row:
                assert button.callback_data is not None
                assert len(str(button.callback_data).encode()) <= MAX_BYTES


def test_a_long_list_stays_within_a_telegram_message() -> None:
    names = dict.fromkeys(range(40), "N" * 40)
    rules = [replace(RULE, id=n, battery_id=n) for n in range(40)]
    text = views.list_text(rules, names, "en", admin=True)
    assert len(text) < 4096
    assert "more: tap their number below" in text
    assert len(views.list_keyboard(rules, "en").inline_keyboard) == 11  # 40 rules + « Add »
