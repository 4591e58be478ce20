"""Textes en français (langue par défaut). Mêmes clés que ``texts_en``; HTML de Telegram."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # Durations and colours
    "age.seconds": "il y a {n} s",
    "age.minutes": "il y a {n} min",
    "age.hours": "il y a {n} h",
    "age.days": "il y a {n} j",
    "color.blue": "Bleu",
    "color.white": "Blanc",
    "color.red": "Rouge",
    "color.unknown": "inconnu",
    "period.HP": "heures pleines",
    "period.HC": "heures creuses",
    # Commands (descriptions shown by Telegram)
    "cmd.start": "Accueil et menu",
    "cmd.help": "Aide et liste des commandes",
    "cmd.status": "État des batteries",
    "cmd.mode": "Changer le mode d'une batterie",
    "cmd.tempo": "Couleurs Tempo et prix",
    "cmd.language": "Langue : français / anglais",
    "cmd.cancel": "Annuler l'action en cours",
    # Welcome, help, menu
    "start.welcome": (
        "👋 Bonjour {name} !\n"
        "Je pilote vos batteries Marstek au rythme de Tempo : pleines avant les jours rouges, "
        "vidées dans la maison aux heures pleines.\n\nQue voulez-vous faire ?"
    ),
    "help.title": "<b>Commandes</b>",
    "help.role_admin": "Vous êtes <b>administrateur</b> : vous pouvez tout voir et tout changer.",
    "help.role_viewer": "Vous êtes en <b>lecture seule</b> : vous pouvez tout voir, sans rien changer.",
    "menu.status": "🔋 État",
    "menu.mode": "⚙️ Mode",
    "menu.tempo": "📅 Tempo",
    "menu.help": "❓ Aide",
    "button.refresh": "🔄 Actualiser",
    "button.back": "« Retour",
    "button.cancel": "✖️ Annuler",
    "button.confirm": "✅ Confirmer",
    "button.all": "Toutes les batteries",
    # Access control
    "access.stranger": (
        "Désolé, ce bot est privé : il pilote les batteries d'un foyer. "
        "Demandez à son administrateur de vous ajouter."
    ),
    "access.admin_notice": (
        "ℹ️ Une personne inconnue a écrit au bot : {who} (id <code>{user_id}</code>). "
        "Elle a reçu un refus poli. Pour l'autoriser, ajoutez son id à MARSTEK_ADMINS "
        "ou MARSTEK_VIEWERS."
    ),
    "access.read_only": "🔒 Lecture seule : seul un administrateur peut changer les batteries.",
    "access.rate_limited": "⏳ Trop de demandes d'un coup. Patientez une minute, s'il vous plaît.",
    "error.generic": "😕 Une erreur inattendue s'est produite. L'administrateur a été prévenu.",
    "error.admin": "⚠️ Erreur dans le bot : {error}",
    "error.stale_button": "Ce bouton n'est plus valable. Voici le menu à jour.",
    "error.expired_confirmation": "⌛ Confirmation expirée : rien n'a été envoyé. Recommencez.",
    "error.unknown_battery": "Cette batterie n'existe plus. Rien n'a été envoyé.",
    "unknown.text": "Je n'ai pas compris. Voici le menu ; /help liste les commandes.",
    "cancelled": "Annulé. Rien n'a été changé.",
    # Status
    "status.title": "🔋 <b>Batteries</b> — {time}",
    "status.none": "Aucune batterie configurée. Ajoutez-en avec MARSTEK_BATTERIES.",
    "status.line": "<b>{name}</b> · {soc} · {flow} · {mode}{temp} · {age}",
    "status.waiting": "<b>{name}</b> · ⏳ pas encore de mesure",
    "status.unreachable": "<b>{name}</b> · ⚠️ injoignable depuis {since}{last}",
    "status.unreachable_last": " (dernière valeur {soc}, {age})",
    "status.api_disabled_hint": "   ↳ l'Open API semble désactivée : voir l'alerte envoyée.",
    "status.flow.charging": "⬇️ charge {power}",
    "status.flow.discharging": "⬆️ décharge {power}",
    "status.flow.idle": "⏸ au repos",
    "status.mode_unknown": "mode ?",
    "status.total": "<b>Total</b> : {stored} stockés sur {capacity} · {flow}",
    "status.tempo_today": "📅 Aujourd'hui {color} — {period} (jusqu'à {until})",
    "status.tempo_tomorrow": "📅 Demain {color}{detail}",
    "status.tempo_unavailable": "📅 Couleurs Tempo indisponibles pour l'instant.",
    "status.alerts_pending": "🔔 {n} alerte(s) en attente d'envoi.",
    # Mode
    "mode.pick_battery": "⚙️ <b>Changer le mode</b> — quelle batterie ?",
    "mode.pick_mode": "⚙️ <b>{target}</b> — quel mode ?",
    "mode.auto": "Auto (autoconsommation)",
    "mode.ai": "IA (optimisation Marstek)",
    "mode.manual": "Créneau manuel",
    "mode.passive": "Passif (forcer)",
    "mode.ups": "UPS (réserve secours)",
    "mode.pick_passive_power": "⚙️ <b>{target}</b> — Passif : quelle puissance ?",
    "mode.pick_passive_duration": "⚙️ <b>{target}</b> — {action} pendant combien de temps ?",
    "mode.pick_manual_power": "⚙️ <b>{target}</b> — créneau manuel : quelle puissance ?",
    "mode.pick_manual_window": "⚙️ <b>{target}</b> — {action} : sur quelle plage (tous les jours) ?",
    "mode.charge_at": "charger à {power}",
    "mode.discharge_at": "décharger à {power}",
    "mode.self_consumption": "autoconsommation",
    "mode.minutes": "{n} min",
    "mode.hours": "{n} h",
    "mode.confirm": (
        "⚠️ <b>{target}</b> : {action}.\nCela force la batterie. "
        "Appuyez sur « Confirmer » dans les 2 minutes pour envoyer."
    ),
    "mode.confirm_ups": (
        "⚠️ <b>{target}</b> : passer en UPS garde la batterie pleine en la chargeant "
        "sur le réseau. Appuyez sur « Confirmer » dans les 2 minutes."
    ),
    "mode.describe.auto": "mode Auto",
    "mode.describe.ai": "mode IA",
    "mode.describe.ups": "mode UPS",
    "mode.describe.passive": "{action} pendant {duration}",
    "mode.describe.manual": "créneau n°{slot} {start}–{end} : {action}",
    "mode.sending": "⏳ Envoi à {target} : {action}…\nJe vérifie en relisant le mode (jusqu'à une minute).",
    "mode.result_title": "⚙️ <b>{action}</b>",
    "mode.result.applied": "✅ {name} : appliqué",
    "mode.result.rejected": "❌ {name} : refusé par la batterie ({detail})",
    "mode.result.not_confirmed": "⚠️ {name} : envoyé mais non confirmé ({detail})",
    "mode.result.unreachable": "⚠️ {name} : injoignable, rien n'a été appliqué",
    "mode.result.invalid": "❌ {name} : impossible ({detail})",
    # Tempo
    "tempo.title": "📅 <b>Tempo</b>",
    "tempo.today": "Aujourd'hui ({day}) : {color} — {period} jusqu'à {until}",
    "tempo.tomorrow_known": "Demain ({day}) : {color} ({state})",
    "tempo.tomorrow_unknown": "Demain ({day}) : pas encore connu — possible : {possible}",
    "tempo.confirmed": "confirmé",
    "tempo.provisional": "provisoire, confirmé vers 11h",
    "tempo.remaining_title": "<b>Saison {season}</b> — jours restants :",
    "tempo.remaining": "{color} {remaining} sur {total}",
    "tempo.prices_title": "<b>Prix du kWh</b> (depuis le {since}) :",
    "tempo.price_row": "{color} : HC {hc} · HP {hp}",
    "tempo.unavailable": "Pas de donnée Tempo pour l'instant (sources injoignables).",
    # Language
    "language.pick": "Choisissez votre langue :",
    "language.set": "✅ Langue : français.",
    # Alerts (pushed)
    "alert.unreachable": "⚠️ <b>{battery}</b> ne répond plus depuis {since} ({failures} essais).",
    "alert.back": "✅ <b>{battery}</b> répond de nouveau (silence de {duration}).",
    "alert.api_disabled": (
        "🛑 <b>{battery}</b> ne répond plus depuis {duration} : son Open API s'est "
        "probablement désactivée (défaut connu des firmwares 144–148).\n"
        "Pour la réactiver : application Marstek → la batterie → ⚙️ Paramètres → "
        "« Open API » / « API locale » → activer, port {port}. Vérifiez ensuite le mode "
        "de la batterie : il a pu être réinitialisé."
    ),
    "alert.low_soc": "🪫 <b>{battery}</b> : charge basse, {soc_pct} % (seuil {limit} %).",
    "alert.high_temperature": (
        "🌡️ <b>{battery}</b> : température élevée, {temperature_c} °C (seuil {limit} °C)."
    ),
    "alert.meter_lost": (
        "📉 <b>{battery}</b> ne voit plus son compteur (CT) : l'autoconsommation est "
        "arrêtée. Vérifiez le compteur et sa connexion."
    ),
    "alert.mode_drift": (
        "🔀 <b>{battery}</b> est passée en mode {observed} alors que le bot avait mis "
        "{expected} (application, cloud ou redémarrage ?)."
    ),
    "alert.counter_backwards": (
        "ℹ️ <b>{battery}</b> : le compteur {counter} a reculé ({previous_wh} → {value_wh} Wh) ; "
        "ignoré dans les bilans."
    ),
    "alert.tempo_unknown": (
        "❔ Couleur Tempo de demain ({day}) toujours inconnue à {hour}h. Possible : {possible}."
    ),
    "alert.tempo_announcement": "📅 Demain ({day}) : {color}{state}",
    "alert.generic": "🔔 {kind} {battery}",
}
