"""Textes de /backup — database backup texts. Same keys in FR and EN; Telegram HTML."""

from __future__ import annotations

FR: dict[str, str] = {
    "backup.cmd": "Sauvegarde de la base de données",
    "backup.caption": (
        "💾 <b>Sauvegarde de la base</b> du {when} ({size} Mo), cohérente même bot en marche.\n"
        "Pour la restaurer : arrêtez le bot, puis "
        "<code>python -m bot.storage restore {filename} data/marstek.db</code>."
    ),
    "backup.failed": "❌ Sauvegarde impossible : {reason}",
    "backup.too_big": (
        "💾 La base fait {size} Mo : trop pour Telegram (50 Mo au plus). Sauvegardez-la "
        "sur la machine du bot avec <code>python -m bot.storage backup</code>."
    ),
}

EN: dict[str, str] = {
    "backup.cmd": "Back up the database",
    "backup.caption": (
        "💾 <b>Database backup</b> of {when} ({size} MB), consistent even with the bot running.\n"
        "To restore it: stop the bot, then run "
        "<code>python -m bot.storage restore {filename} data/marstek.db</code>."
    ),
    "backup.failed": "❌ Backup failed: {reason}",
    "backup.too_big": (
        "💾 The database is {size} MB: too big for Telegram (50 MB at most). Back it up on "
        "the bot's machine with <code>python -m bot.storage backup</code>."
    ),
}
