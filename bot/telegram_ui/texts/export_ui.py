"""Textes de /export — history export texts. Same keys in FR and EN; Telegram HTML."""

from __future__ import annotations

FR: dict[str, str] = {
    "export.cmd": "Exporter l'historique des mesures (CSV)",
    "export.pick": "📤 <b>Export CSV</b> des mesures de toutes les batteries — quelle période ?",
    "export.period.24h": "24 h",
    "export.period.7d": "7 j",
    "export.period.30d": "30 j",
    "export.span.24h": "24 dernières heures",
    "export.span.7d": "7 derniers jours",
    "export.span.30d": "30 derniers jours",
    "export.preparing": "⏳ Préparation de l'export ({span})…",
    "export.empty": "📤 Aucune mesure sur les {span} : rien à exporter.",
    "export.too_big": (
        "📤 L'export des {span} dépasse la taille permise par Telegram, même compressé. "
        "Choisissez une période plus courte."
    ),
    "export.sent": "✅ Export des {span} envoyé ci-dessous.",
    "export.caption": (
        "📤 <b>Mesures des {span}</b> : {rows} lignes, {batteries} batterie(s).\n"
        "Heures locales ({tz}) avec leur décalage UTC. Puissances en W : "
        "<code>ac_power</code> et <code>battery_power</code> + = décharge vers la maison, "
        "− = charge ; <code>grid_power</code> + = achat au réseau."
    ),
    "export.rollups": (
        "⚠️ Les mesures brutes ne sont gardées que {days} jours : les lignes plus anciennes "
        "sont des moyennes par quart d'heure (<code>source = rollup_15min</code>)."
    ),
    "export.compressed": "🗜 Fichier compressé (gzip) pour passer la limite de Telegram.",
}

EN: dict[str, str] = {
    "export.cmd": "Export the readings history (CSV)",
    "export.pick": "📤 <b>CSV export</b> of every battery's readings — which period?",
    "export.period.24h": "24 h",
    "export.period.7d": "7 d",
    "export.period.30d": "30 d",
    "export.span.24h": "last 24 hours",
    "export.span.7d": "last 7 days",
    "export.span.30d": "last 30 days",
    "export.preparing": "⏳ Preparing the export ({span})…",
    "export.empty": "📤 No reading in the {span}: nothing to export.",
    "export.too_big": (
        "📤 The export of the {span} exceeds Telegram's size limit, even compressed. "
        "Please pick a shorter period."
    ),
    "export.sent": "✅ Export of the {span} sent below.",
    "export.caption": (
        "📤 <b>Readings of the {span}</b>: {rows} rows, {batteries} battery(ies).\n"
        "Local times ({tz}) with their UTC offset. Powers in W: "
        "<code>ac_power</code> and <code>battery_power</code> + = discharging to the house, "
        "− = charging; <code>grid_power</code> + = buying from the grid."
    ),
    "export.rollups": (
        "⚠️ Raw readings are kept {days} days only: older rows are 15-minute averages "
        "(<code>source = rollup_15min</code>)."
    ),
    "export.compressed": "🗜 Compressed (gzip) to fit Telegram's limit.",
}
