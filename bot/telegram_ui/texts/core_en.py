"""English texts. Same keys as ``texts_fr``; Telegram HTML."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "age.seconds": "{n} s ago",
    "age.minutes": "{n} min ago",
    "age.hours": "{n} h ago",
    "age.days": "{n} d ago",
    "color.blue": "Blue",
    "color.white": "White",
    "color.red": "Red",
    "color.unknown": "unknown",
    "period.HP": "peak hours",
    "period.HC": "off-peak hours",
    "cmd.start": "Welcome and menu",
    "cmd.help": "Help and list of commands",
    "cmd.status": "Battery status",
    "cmd.mode": "Change a battery's mode",
    "cmd.tempo": "Tempo colours and prices",
    "cmd.language": "Language: French / English",
    "cmd.cancel": "Cancel the current action",
    "start.welcome": (
        "👋 Hello {name}!\n"
        "I run your Marstek batteries on the Tempo rhythm: full before red days, "
        "emptied into the house at peak hours.\n\nWhat would you like to do?"
    ),
    "help.title": "<b>Commands</b>",
    "help.role_admin": "You are an <b>administrator</b>: you can see and change everything.",
    "help.role_viewer": "You have <b>read-only</b> access: you can see everything, change nothing.",
    "menu.status": "🔋 Status",
    "menu.mode": "⚙️ Mode",
    "menu.tempo": "📅 Tempo",
    "menu.help": "❓ Help",
    "button.refresh": "🔄 Refresh",
    "button.back": "« Back",
    "button.cancel": "✖️ Cancel",
    "button.confirm": "✅ Confirm",
    "button.all": "All batteries",
    "access.stranger": (
        "Sorry, this bot is private: it runs one household's batteries. "
        "Ask its administrator to add you."
    ),
    "access.admin_notice": (
        "ℹ️ Someone unknown wrote to the bot: {who} (id <code>{user_id}</code>). "
        "They got a polite refusal. To allow them, add their id to MARSTEK_ADMINS "
        "or MARSTEK_VIEWERS."
    ),
    "access.read_only": "🔒 Read-only: only an administrator can change the batteries.",
    "access.rate_limited": "⏳ Too many requests at once. Please wait a minute.",
    "error.generic": "😕 Something unexpected went wrong. The administrator has been told.",
    "error.admin": "⚠️ Error in the bot: {error}",
    "error.stale_button": "This button is no longer valid. Here is the current menu.",
    "error.expired_confirmation": "⌛ Confirmation expired: nothing was sent. Please start again.",
    "error.unknown_battery": "This battery no longer exists. Nothing was sent.",
    "unknown.text": "I didn't understand that. Here is the menu; /help lists the commands.",
    "cancelled": "Cancelled. Nothing was changed.",
    "status.title": "🔋 <b>Batteries</b> — {time}",
    "status.none": "No battery configured. Add some with MARSTEK_BATTERIES.",
    "status.line": "<b>{name}</b> · {soc} · {flow} · {mode}{temp} · {age}",
    "status.waiting": "<b>{name}</b> · ⏳ no reading yet",
    "status.unreachable": "<b>{name}</b> · ⚠️ unreachable since {since}{last}",
    "status.unreachable_last": " (last value {soc}, {age})",
    "status.api_disabled_hint": "   ↳ its Open API seems disabled: see the alert sent.",
    "status.flow.charging": "⬇️ charging {power}",
    "status.flow.discharging": "⬆️ discharging {power}",
    "status.flow.idle": "⏸ idle",
    "status.mode_unknown": "mode ?",
    "status.total": "<b>Total</b>: {stored} stored of {capacity} · {flow}",
    "status.tempo_today": "📅 Today {color} — {period} (until {until})",
    "status.tempo_tomorrow": "📅 Tomorrow {color}{detail}",
    "status.tempo_unavailable": "📅 Tempo colours unavailable for now.",
    "status.alerts_pending": "🔔 {n} alert(s) waiting to be sent.",
    "mode.pick_battery": "⚙️ <b>Change mode</b> — which battery?",
    "mode.pick_mode": "⚙️ <b>{target}</b> — which mode?",
    "mode.auto": "Auto (self-consumption)",
    "mode.ai": "AI (Marstek optimisation)",
    "mode.manual": "Manual time slot",
    "mode.passive": "Passive (force)",
    "mode.ups": "UPS (backup reserve)",
    "mode.pick_passive_power": "⚙️ <b>{target}</b> — Passive: which power?",
    "mode.pick_passive_duration": "⚙️ <b>{target}</b> — {action} for how long?",
    "mode.pick_manual_power": "⚙️ <b>{target}</b> — manual slot: which power?",
    "mode.pick_manual_window": "⚙️ <b>{target}</b> — {action}: which window (every day)?",
    "mode.charge_at": "charge at {power}",
    "mode.discharge_at": "discharge at {power}",
    "mode.self_consumption": "self-consumption",
    "mode.minutes": "{n} min",
    "mode.hours": "{n} h",
    "mode.confirm": (
        "⚠️ <b>{target}</b>: {action}.\nThis forces the battery. "
        "Tap « Confirm » within 2 minutes to send it."
    ),
    "mode.confirm_ups": (
        "⚠️ <b>{target}</b>: UPS keeps the battery full by charging from the grid. "
        "Tap « Confirm » within 2 minutes."
    ),
    "mode.describe.auto": "Auto mode",
    "mode.describe.ai": "AI mode",
    "mode.describe.ups": "UPS mode",
    "mode.describe.passive": "{action} for {duration}",
    "mode.describe.manual": "slot #{slot} {start}–{end}: {action}",
    "mode.sending": "⏳ Sending to {target}: {action}…\nChecking by reading the mode back (up to a minute).",
    "mode.result_title": "⚙️ <b>{action}</b>",
    "mode.result.applied": "✅ {name}: applied",
    "mode.result.rejected": "❌ {name}: refused by the battery ({detail})",
    "mode.result.not_confirmed": "⚠️ {name}: sent but not confirmed ({detail})",
    "mode.result.unreachable": "⚠️ {name}: unreachable, nothing was applied",
    "mode.result.invalid": "❌ {name}: not possible ({detail})",
    "tempo.title": "📅 <b>Tempo</b>",
    "tempo.today": "Today ({day}): {color} — {period} until {until}",
    "tempo.tomorrow_known": "Tomorrow ({day}): {color} ({state})",
    "tempo.tomorrow_unknown": "Tomorrow ({day}): not known yet — possible: {possible}",
    "tempo.confirmed": "confirmed",
    "tempo.provisional": "provisional, confirmed around 11:00",
    "tempo.remaining_title": "<b>Season {season}</b> — days left:",
    "tempo.remaining": "{color} {remaining} of {total}",
    "tempo.prices_title": "<b>Price per kWh</b> (since {since}):",
    "tempo.price_row": "{color}: off-peak {hc} · peak {hp}",
    "tempo.unavailable": "No Tempo data for now (sources unreachable).",
    "language.pick": "Choose your language:",
    "language.set": "✅ Language: English.",
    "alert.unreachable": "⚠️ <b>{battery}</b> has not answered since {since} ({failures} tries).",
    "alert.back": "✅ <b>{battery}</b> answers again (silent for {duration}).",
    "alert.api_disabled": (
        "🛑 <b>{battery}</b> has been silent for {duration}: its Open API has probably "
        "switched itself off (a known fault of firmware 144–148).\n"
        "To turn it back on: Marstek app → the battery → ⚙️ Settings → "
        "« Open API » / « Local API » → enable, port {port}. Then check the battery's "
        "mode: it may have been reset."
    ),
    "alert.low_soc": "🪫 <b>{battery}</b>: low charge, {soc_pct}% (limit {limit}%).",
    "alert.high_temperature": (
        "🌡️ <b>{battery}</b>: high temperature, {temperature_c} °C (limit {limit} °C)."
    ),
    "alert.meter_lost": (
        "📉 <b>{battery}</b> lost its meter (CT): self-consumption has stopped. "
        "Check the meter and its connection."
    ),
    "alert.mode_drift": (
        "🔀 <b>{battery}</b> switched to {observed} although the bot had set {expected} "
        "(app, cloud or a restart?)."
    ),
    "alert.counter_backwards": (
        "ℹ️ <b>{battery}</b>: counter {counter} went backwards ({previous_wh} → {value_wh} Wh); "
        "ignored in the totals."
    ),
    "alert.tempo_unknown": (
        "❔ Tomorrow's Tempo colour ({day}) is still unknown at {hour}:00. Possible: {possible}."
    ),
    "alert.tempo_announcement": "📅 Tomorrow ({day}): {color}{state}",
    "alert.generic": "🔔 {kind} {battery}",
}
