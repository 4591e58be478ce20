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
    "savings.button.backtest": "🧪 Comparer les stratégies",
    "savings.backtest.running": (
        "⏳ Calcul… Je rejoue votre historique récent avec chaque stratégie (quelques secondes)."
    ),
    "savings.backtest.busy": "⏳ Une comparaison est déjà en cours : le résultat arrive.",
    "savings.backtest.title": "🧪 <b>Les stratégies sur votre historique</b>",
    "savings.backtest.reference": "Sans batterie, l'énergie aurait coûté <b>{cost}</b>.",
    "savings.backtest.note": (
        "<i>éco. = économie par rapport à « sans batterie » (usure déduite, énergie restée dans "
        "les batteries comptée). % opt. = part de l'optimum, qui connaît l'avenir : un plafond "
        "théorique. Le planificateur, lui, ne voit que le passé, comme le bot.</i>"
    ),
    "savings.backtest.cut": (
        "⚠️ Charge bridée pour rester sous l'abonnement (sinon le disjoncteur saute) : {items}."
    ),
    "savings.backtest.cut_item": "{name} {count} demi-heure(s)",
    "savings.backtest.no_optimum.scipy_missing": (
        "ℹ️ Optimum non calculé : SciPy n'est pas installé sur le serveur "
        "(<code>pip install 'marstek-automation[backtest]'</code>)."
    ),
    "savings.backtest.no_optimum.error": "ℹ️ Optimum non calculé : le calcul n'a pas abouti.",
    "savings.backtest.error.no_history": (
        "🧪 Pas encore d'historique enregistré : la comparaison demande au moins {needed} jours "
        "Tempo complets (06h → 06h). Réessayez dans quelques jours."
    ),
    "savings.backtest.error.no_meter": (
        "🧪 Les batteries n'ont transmis aucune mesure du compteur : sans la consommation de la "
        "maison, les stratégies ne peuvent pas être comparées."
    ),
    "savings.backtest.error.too_short": (
        "🧪 Pas encore assez d'historique : il faut au moins {needed} jours Tempo complets de "
        "suite avec une couleur connue et des mesures du compteur ({found} pour l'instant)."
    ),
    "savings.backtest.error.error": (
        "🧪 La comparaison n'a pas pu être faite sur votre historique."
    ),
    "savings.backtest.failed": (
        "❌ La comparaison a échoué (erreur inattendue). L'administrateur est prévenu."
    ),
    "savings.backtest.caption": (
        "🧪 Économies cumulées de chaque stratégie sur votre historique, du {first} au {last}."
    ),
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
    "savings.button.backtest": "🧪 Compare strategies",
    "savings.backtest.running": (
        "⏳ Computing… Replaying your recent history with each strategy (a few seconds)."
    ),
    "savings.backtest.busy": "⏳ A comparison is already running: the result is on its way.",
    "savings.backtest.title": "🧪 <b>The strategies on your history</b>",
    "savings.backtest.reference": "Without a battery, the energy would have cost <b>{cost}</b>.",
    "savings.backtest.note": (
        '<i>saved = savings vs "no battery" (wear deducted, energy left in the batteries '
        "counted). % opt. = share of the optimum, which knows the future: a theoretical ceiling. "
        "The planner only sees the past, like the bot.</i>"
    ),
    "savings.backtest.cut": (
        "⚠️ Charging cut to stay under the contract power (else the breaker trips): {items}."
    ),
    "savings.backtest.cut_item": "{name} {count} half-hour(s)",
    "savings.backtest.no_optimum.scipy_missing": (
        "ℹ️ Optimum not computed: SciPy is not installed on the server "
        "(<code>pip install 'marstek-automation[backtest]'</code>)."
    ),
    "savings.backtest.no_optimum.error": "ℹ️ Optimum not computed: the solver did not succeed.",
    "savings.backtest.error.no_history": (
        "🧪 No history stored yet: the comparison needs at least {needed} complete Tempo days "
        "(06:00 → 06:00). Try again in a few days."
    ),
    "savings.backtest.error.no_meter": (
        "🧪 The batteries sent no meter readings: without the house's consumption the "
        "strategies cannot be compared."
    ),
    "savings.backtest.error.too_short": (
        "🧪 Not enough history yet: at least {needed} complete Tempo days in a row with a known "
        "colour and meter readings are needed ({found} so far)."
    ),
    "savings.backtest.error.error": "🧪 The comparison could not be made on your history.",
    "savings.backtest.failed": (
        "❌ The comparison failed (unexpected error). The administrator has been told."
    ),
    "savings.backtest.caption": (
        "🧪 Cumulative savings of each strategy on your history, {first} to {last}."
    ),
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
