"""Marstek Automation: a Telegram bot that runs Marstek Venus batteries on EDF Tempo."""

__version__ = "0.1.0"
