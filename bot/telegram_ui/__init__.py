"""The Telegram interface: commands, buttons, texts (FR/EN) and alert delivery."""
