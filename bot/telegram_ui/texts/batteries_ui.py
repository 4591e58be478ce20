"""Textes de /batteries — battery management texts. Same keys in FR and EN; Telegram HTML."""

from __future__ import annotations

FR: dict[str, str] = {
    "batteries.cmd": "Batteries suivies : chercher, ajouter, renommer, retirer",
    "batteries.none": (
        "🔋 Aucune batterie suivie. Un administrateur peut en chercher sur le réseau "
        "avec /batteries → « Rechercher »."
    ),
    "batteries.title": "🔋 <b>Batteries suivies</b> ({n})",
    "batteries.line": (
        "{index}. <b>{name}</b> — <code>{address}</code>\n    {model}{firmware} · {state}"
    ),
    "batteries.firmware": " · firmware {version}",
    "batteries.state_ok": "✅ {soc} · {flow}",
    "batteries.state_waiting": "⏳ pas encore de mesure",
    "batteries.state_unreachable": "⚠️ injoignable",
    "batteries.button.discover": "🔍 Rechercher sur le réseau",
    "batteries.button.discover_again": "🔍 Relancer",
    "batteries.button.list": "« Liste",
    "batteries.button.add": "➕ Ajouter {model} ({host})",
    "batteries.button.keep_name": "✅ {name}",
    "batteries.button.confirm_remove": "🗑 Confirmer le retrait",
    "batteries.searching": "🔍 Recherche des batteries sur le réseau ({seconds} s)…",
    "batteries.discover_failed": "❌ La recherche n'a pas pu se faire : {reason}",
    "batteries.found_title": "🔍 <b>{n} batterie(s) ont répondu</b>",
    "batteries.found_none": (
        "🔍 Aucune batterie n'a répondu. Vérifiez que l'Open API est activée dans "
        "l'application Marstek (port {port}) et que le bot est sur le même réseau."
    ),
    "batteries.found_line": "• <b>{model}</b>{firmware} · MAC <code>{mac}</code> · <code>{address}</code>",
    "batteries.found_watched": "    ✅ déjà suivie : {name}",
    "batteries.found_moved": (
        "    ⚠️ déjà suivie : {name}, mais à l'adresse <code>{address}</code>. Pour changer "
        "d'adresse, retirez-la puis ajoutez-la depuis une nouvelle recherche."
    ),
    "batteries.found_new": "    ➕ pas encore suivie",
    "batteries.discovery_stale": (
        "Cette recherche est trop ancienne ou ne connaît pas cette batterie : relancez-la."
    ),
    "batteries.already_watched": "Cette batterie est déjà suivie sous le nom « {name} ».",
    "batteries.ask_add_name": (
        "➕ <b>Nouvelle batterie</b> : {model} (<code>{address}</code>)\n"
        "Comment l'appeler ? Envoyez un nom (40 caractères au plus), "
        "ou touchez « {default} ». /cancel pour abandonner."
    ),
    "batteries.ask_rename": (
        "✏️ Nouveau nom pour <b>{name}</b> ? Envoyez-le (40 caractères au plus). "
        "/cancel pour abandonner."
    ),
    "batteries.name_refused": "❌ {reason}\nEnvoyez un autre nom, ou /cancel pour abandonner.",
    "batteries.name_empty": "Le nom ne peut pas être vide.",
    "batteries.name_too_long": "Le nom est trop long ({length} caractères, {max} au plus).",
    "batteries.name_invisible": "Le nom contient des caractères invisibles ou de contrôle.",
    "batteries.name_command": "Un nom ne peut pas commencer par « / » (c'est une commande).",
    "batteries.name_taken": "Une batterie s'appelle déjà « {name} ».",
    "batteries.added": (
        "✅ <b>{name}</b> est ajoutée (<code>{address}</code>). "
        "Première mesure dans quelques secondes."
    ),
    "batteries.renamed": "✅ « {old} » s'appelle maintenant <b>{new}</b>.",
    "batteries.same_name": "C'est déjà le nom de <b>{name}</b> : rien n'a changé.",
    "batteries.gone": "La batterie « {name} » n'est plus suivie : rien n'a changé.",
    "batteries.dialog_lost": "Cette question n'est plus valable : rien n'a changé. Recommencez.",
    "batteries.confirm_remove": (
        "🗑 Retirer <b>{name}</b> (<code>{address}</code>) ?\n"
        "Le bot cessera de la suivre et de la piloter ; son historique est gardé. "
        "Touchez « Confirmer le retrait » dans les 2 minutes."
    ),
    "batteries.expired": "⌛ Confirmation expirée : rien n'a été retiré.",
    "batteries.removed": "✅ <b>{name}</b> n'est plus suivie ; son historique est gardé.",
}

EN: dict[str, str] = {
    "batteries.cmd": "Watched batteries: discover, add, rename, remove",
    "batteries.none": (
        "🔋 No battery is watched. An admin can look for some on the network "
        "with /batteries → “Discover”."
    ),
    "batteries.title": "🔋 <b>Watched batteries</b> ({n})",
    "batteries.line": (
        "{index}. <b>{name}</b> — <code>{address}</code>\n    {model}{firmware} · {state}"
    ),
    "batteries.firmware": " · firmware {version}",
    "batteries.state_ok": "✅ {soc} · {flow}",
    "batteries.state_waiting": "⏳ no reading yet",
    "batteries.state_unreachable": "⚠️ unreachable",
    "batteries.button.discover": "🔍 Discover on the network",
    "batteries.button.discover_again": "🔍 Search again",
    "batteries.button.list": "« List",
    "batteries.button.add": "➕ Add {model} ({host})",
    "batteries.button.keep_name": "✅ {name}",
    "batteries.button.confirm_remove": "🗑 Confirm removal",
    "batteries.searching": "🔍 Looking for batteries on the network ({seconds} s)…",
    "batteries.discover_failed": "❌ The search could not run: {reason}",
    "batteries.found_title": "🔍 <b>{n} battery(ies) answered</b>",
    "batteries.found_none": (
        "🔍 No battery answered. Check that the Open API is enabled in the Marstek app "
        "(port {port}) and that the bot is on the same network."
    ),
    "batteries.found_line": "• <b>{model}</b>{firmware} · MAC <code>{mac}</code> · <code>{address}</code>",
    "batteries.found_watched": "    ✅ already watched: {name}",
    "batteries.found_moved": (
        "    ⚠️ already watched: {name}, but at <code>{address}</code>. To change its "
        "address, remove it, then add it from a new search."
    ),
    "batteries.found_new": "    ➕ not watched yet",
    "batteries.discovery_stale": (
        "This search is too old or does not know this battery: please search again."
    ),
    "batteries.already_watched": "This battery is already watched as “{name}”.",
    "batteries.ask_add_name": (
        "➕ <b>New battery</b>: {model} (<code>{address}</code>)\n"
        "What should it be called? Send a name (40 characters at most), "
        "or tap “{default}”. /cancel to give up."
    ),
    "batteries.ask_rename": (
        "✏️ New name for <b>{name}</b>? Send it (40 characters at most). /cancel to give up."
    ),
    "batteries.name_refused": "❌ {reason}\nSend another name, or /cancel to give up.",
    "batteries.name_empty": "The name cannot be empty.",
    "batteries.name_too_long": "The name is too long ({length} characters, {max} at most).",
    "batteries.name_invisible": "The name contains invisible or control characters.",
    "batteries.name_command": "A name cannot start with “/” (that is a command).",
    "batteries.name_taken": "A battery is already called “{name}”.",
    "batteries.added": (
        "✅ <b>{name}</b> is added (<code>{address}</code>). First reading in a few seconds."
    ),
    "batteries.renamed": "✅ “{old}” is now called <b>{new}</b>.",
    "batteries.same_name": "That is already <b>{name}</b>'s name: nothing changed.",
    "batteries.gone": "The battery “{name}” is no longer watched: nothing changed.",
    "batteries.dialog_lost": "This question is no longer valid: nothing changed. Start again.",
    "batteries.confirm_remove": (
        "🗑 Remove <b>{name}</b> (<code>{address}</code>)?\n"
        "The bot will stop watching and steering it; its history is kept. "
        "Tap “Confirm removal” within 2 minutes."
    ),
    "batteries.expired": "⌛ Confirmation expired: nothing was removed.",
    "batteries.removed": "✅ <b>{name}</b> is no longer watched; its history is kept.",
}
