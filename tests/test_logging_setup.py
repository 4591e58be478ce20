"""Logging: context fields in both formats, JSON lines parse, secrets are masked everywhere."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import configure_logging

TOKEN = "123456789:AAHsecret-token-value"


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.usefixtures("restore_root")
def test_text_lines_carry_battery_and_action() -> None:
    stream = io.StringIO()
    configure_logging(fmt="text", stream=stream)
    logging.getLogger("bot.test").info("polled", extra={"battery": "salon", "action": "poll"})
    line = stream.getvalue().strip()
    assert "[battery=salon action=poll]" in line
    assert line.endswith("polled")


@pytest.mark.usefixtures("restore_root")
def test_json_lines_parse_with_context() -> None:
    stream = io.StringIO()
    configure_logging(fmt="json", stream=stream)
    logging.getLogger("bot.test").warning("refused %s", "Passive", extra={"battery": "garage"})
    record = json.loads(stream.getvalue())
    assert record["message"] == "refused Passive"
    assert record["battery"] == "garage"
    assert record["level"] == "WARNING"


@pytest.mark.usefixtures("restore_root")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_secrets_are_masked_in_messages_and_tracebacks(fmt: str) -> None:
    stream = io.StringIO()
    configure_logging(fmt=fmt, secrets=[TOKEN], stream=stream)  # type: ignore[arg-type]
    log = logging.getLogger("bot.test")
    log.info("POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
    try:
        raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("boom")
    output = stream.getvalue()
    assert TOKEN not in output
    assert "AAHsecret" not in output
    assert output.count("***") >= 2
