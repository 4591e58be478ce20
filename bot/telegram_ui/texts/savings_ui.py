"""Textes des économies (/economies) — savings texts. Same keys in FR and EN; Telegram HTML."""

from __future__ import annotations

FR: dict[str, str] = {
    "savings.cmd": "Économies réalisées",
    "savings.overview": (
        "💶 <b>Économies des batteries</b>\n"
        "Aujourd'hui ({color}) : <b>{today}</b>\n"
        "   rendu à la maison {discharged} · acheté {charged}\n"
        "Ce mois-ci : <b>{month}</b>\n"
        "Saison {season} : <b>{season_eur}</b>\n"
        "Depuis l'installation ({since}) : <b>{total}</b>\n"
        "<i>Économie = énergie rendue à la maison × prix du moment − énergie achetée × prix "
        "du moment (jour Tempo 06h → 06h).</i>"
    ),
    "savings.unpriced": ("\n⚠️ {energy} sans couleur Tempo ou sans prix connu : non comptés en €."),
    "savings.daily_off": "\n🔕 Résumé quotidien : désactivé.",
    "savings.daily_on": "\n🔔 Résumé quotidien : chaque jour à {hour}.",
    "savings.button.chart_30": "📊 30 jours",
    "savings.button.chart_season": "📊 Saison",
    "savings.button.daily": "🔔 Résumé quotidien",
    "savings.button.enable": "🔔 Activer",
    "savings.button.disable": "🔕 Désactiver",
    "savings.button.overview": "💶 Économies",
    "savings.caption_30": "📊 <b>Économies des 30 derniers jours</b> : {total}",
    "savings.caption_season": "📊 <b>Économies de la saison {season}</b> : {total}",
    "savings.caption_note": (
        "\nBarres : économie de chaque jour Tempo, à sa couleur. Ligne : cumul."
    ),
    "savings.daily_menu": (
        "🔔 <b>Résumé quotidien des économies</b>\n"
        "État : {state}\n"
        "Le résumé porte sur le dernier jour Tempo terminé (06h → 06h) et arrive à l'heure "
        "choisie ci-dessous. Touchez une heure pour la choisir."
    ),
    "savings.state_on": "activé, à {hour}",
    "savings.state_off": "désactivé (heure prévue : {hour})",
    "savings.daily_saved_on": "✅ Résumé quotidien activé, à {hour}.",
    "savings.daily_saved_off": "✅ Résumé quotidien désactivé.",
    "alert.savings_daily": (
        "💶 <b>Économies du {day}</b> {color}\n"
        "<b>{savings}</b> (rendu à la maison {discharged} · acheté {charged})\n"
        "Ce mois-ci : {month} · saison : {season} · total : {total}"
    ),
}

EN: dict[str, str] = {
    "savings.cmd": "Money saved",
    "savings.overview": (
        "💶 <b>Money saved by the batteries</b>\n"
        "Today ({color}): <b>{today}</b>\n"
        "   delivered to the house {discharged} · bought {charged}\n"
        "This month: <b>{month}</b>\n"
        "Season {season}: <b>{season_eur}</b>\n"
        "Since installation ({since}): <b>{total}</b>\n"
        "<i>Savings = energy delivered to the house × price at that time − energy bought × "
        "price at that time (Tempo day 06:00 → 06:00).</i>"
    ),
    "savings.unpriced": ("\n⚠️ {energy} without a known Tempo colour or price: not counted in €."),
    "savings.daily_off": "\n🔕 Daily summary: off.",
    "savings.daily_on": "\n🔔 Daily summary: every day at {hour}.",
    "savings.button.chart_30": "📊 30 days",
    "savings.button.chart_season": "📊 Season",
    "savings.button.daily": "🔔 Daily summary",
    "savings.button.enable": "🔔 Turn on",
    "savings.button.disable": "🔕 Turn off",
    "savings.button.overview": "💶 Savings",
    "savings.caption_30": "📊 <b>Savings over the last 30 days</b>: {total}",
    "savings.caption_season": "📊 <b>Savings of season {season}</b>: {total}",
    "savings.caption_note": "\nBars: each Tempo day's savings, in its colour. Line: running total.",
    "savings.daily_menu": (
        "🔔 <b>Daily savings summary</b>\n"
        "State: {state}\n"
        "The summary covers the last finished Tempo day (06:00 → 06:00) and arrives at the "
        "hour chosen below. Tap an hour to pick it."
    ),
    "savings.state_on": "on, at {hour}",
    "savings.state_off": "off (planned hour: {hour})",
    "savings.daily_saved_on": "✅ Daily summary on, at {hour}.",
    "savings.daily_saved_off": "✅ Daily summary off.",
    "alert.savings_daily": (
        "💶 <b>Savings on {day}</b> {color}\n"
        "<b>{savings}</b> (delivered to the house {discharged} · bought {charged})\n"
        "This month: {month} · season: {season} · total: {total}"
    ),
}
