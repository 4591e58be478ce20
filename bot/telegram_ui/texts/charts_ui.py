"""Textes des graphiques (/graphiques) — chart texts. Same keys in FR and EN; Telegram HTML."""

from __future__ import annotations

FR: dict[str, str] = {
    "charts.cmd": "Graphiques : historique et calendrier Tempo",
    "charts.menu": (
        "📈 <b>Graphiques</b>\n"
        "📈 24 h · 7 j · 30 j : toutes les batteries ensemble.\n"
        "🔋 Une batterie : choisissez-la, puis la période.\n"
        "📅 Le calendrier Tempo de la saison, jour par jour."
    ),
    "charts.menu_no_data": "\n\n<i>Aucune batterie n'a encore donné de mesure.</i>",
    "charts.pick_period": "📈 <b>{name}</b> — quelle période ?",
    "charts.period.24h": "24 h",
    "charts.period.7d": "7 j",
    "charts.period.30d": "30 j",
    "charts.span.24h": "24 heures",
    "charts.span.7d": "7 jours",
    "charts.span.30d": "30 jours",
    "charts.all": "Toutes les batteries",
    "charts.button.calendar": "📅 Calendrier Tempo",
    "charts.button.menu": "📈 Graphiques",
    "charts.caption": (
        "📈 <b>{target}</b> — {span}\n"
        "Fond : couleur Tempo de chaque jour (06h → 06h), heures creuses plus sombres. "
        "Puissance : + = décharge vers la maison, − = charge."
    ),
    "charts.caption_empty": "\n<i>Pas encore de mesure sur cette période.</i>",
    "charts.season_caption": (
        "📅 <b>Saison Tempo {season}</b>\nJours restants : 🔵 {blue} · ⚪ {white} · 🔴 {red}"
    ),
}

EN: dict[str, str] = {
    "charts.cmd": "Charts: history and Tempo calendar",
    "charts.menu": (
        "📈 <b>Charts</b>\n"
        "📈 24 h · 7 d · 30 d: all batteries together.\n"
        "🔋 One battery: pick it, then the period.\n"
        "📅 The season's Tempo calendar, day by day."
    ),
    "charts.menu_no_data": "\n\n<i>No battery has sent a reading yet.</i>",
    "charts.pick_period": "📈 <b>{name}</b> — which period?",
    "charts.period.24h": "24 h",
    "charts.period.7d": "7 d",
    "charts.period.30d": "30 d",
    "charts.span.24h": "24 hours",
    "charts.span.7d": "7 days",
    "charts.span.30d": "30 days",
    "charts.all": "All batteries",
    "charts.button.calendar": "📅 Tempo calendar",
    "charts.button.menu": "📈 Charts",
    "charts.caption": (
        "📈 <b>{target}</b> — {span}\n"
        "Background: each day's Tempo colour (06:00 → 06:00), off-peak hours darker. "
        "Power: + = discharging to the house, − = charging."
    ),
    "charts.caption_empty": "\n<i>No reading in this period yet.</i>",
    "charts.season_caption": (
        "📅 <b>Tempo season {season}</b>\nDays left: 🔵 {blue} · ⚪ {white} · 🔴 {red}"
    ),
}
