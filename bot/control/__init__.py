"""Changing batteries: every command verified on the device and recorded with who asked."""
