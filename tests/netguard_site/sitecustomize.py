"""Installed in subprocesses started by the tests (via PYTHONPATH): loopback-only networking."""

from tests.netguard import install_loopback_only

install_loopback_only()
