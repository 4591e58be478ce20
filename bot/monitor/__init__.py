"""Watching the batteries: polling, availability and alert rules."""
