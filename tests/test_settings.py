"""Settings: defaults, compact list syntaxes, and one clear sentence per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import BatteryConfig, SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Isolate from the developer's environment and any .env file."""
    import os

    for key in list(os.environ):
        if key.startswith("MARSTEK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def test_defaults_are_usable() -> None:
    settings = load_settings()
    assert settings.telegram_token is None
    assert settings.timezone == "Europe/Paris"
    assert settings.request_gap_s == 5.0
    assert settings.retention_days == 30
    assert settings.discovery_broadcast == []  # = global + subnet broadcasts
    assert settings.resolved_database_url == "sqlite+aiosqlite:///data/marstek.db"
    assert settings.tempo_sources == ["api-couleur-tempo", "rte", "rte-public"]


def test_compact_syntaxes_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSTEK_ADMINS", "11, 22")
    monkeypatch.setenv("MARSTEK_VIEWERS", "[33]")
    monkeypatch.setenv("MARSTEK_BATTERIES", "salon@192.168.1.50,garage@192.168.1.51:30001")
    monkeypatch.setenv("MARSTEK_TELEGRAM_TOKEN", "123456:ABCDEF-topsecretvalue")
    settings = load_settings()
    assert settings.admins == [11, 22]
    assert settings.viewers == [33]
    assert settings.batteries == [
        BatteryConfig(name="salon", host="192.168.1.50", port=30000),
        BatteryConfig(name="garage", host="192.168.1.51", port=30001),
    ]
    assert settings.is_admin(11)
    assert settings.is_allowed(33)
    assert not settings.is_admin(33)
    assert not settings.is_allowed(44)
    assert settings.telegram_token is not None
    assert "topsecretvalue" not in repr(settings)


def test_batteries_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSTEK_BATTERIES", '[{"name": "a", "host": "10.0.0.2", "port": 34000}]')
    assert load_settings().batteries[0].port == 34000


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("MARSTEK_CONTRACT_POWER_KVA=6\nMARSTEK_LANGUAGE=en\n")
    settings = load_settings()
    assert settings.contract_power_kva == 6
    assert settings.language == "en"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MARSTEK_POLL_INTERVAL_S", "abc"),
        ("MARSTEK_REQUEST_GAP_S", "-1"),
        ("MARSTEK_TIMEZONE", "Europe/Atlantis"),
        ("MARSTEK_ADMINS", "alice"),
        ("MARSTEK_BATTERIES", "salon-sans-adresse"),
        ("MARSTEK_TEMPO_SOURCES", "edf-magique"),
        ("MARSTEK_LOG_FORMAT", "xml"),
        ("MARSTEK_CONTRACT_POWER_KVA", "500"),
    ],
)
def test_bad_value_gives_one_sentence_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert variable in message
    assert "\n" not in message
    assert "Traceback" not in message


def test_secret_value_never_echoed_in_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSTEK_RTE_CLIENT_SECRET", "")
    monkeypatch.setenv("MARSTEK_REQUEST_TRIES", "0")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "MARSTEK_REQUEST_TRIES" in str(caught.value)


def test_every_setting_is_documented() -> None:
    from bot.settings import Settings

    root = Path(__file__).resolve().parents[1]
    example = (root / ".env.example").read_text()
    docs = (root / "docs" / "configuration.md").read_text()
    for name in Settings.model_fields:
        variable = f"MARSTEK_{name.upper()}"
        assert f"{variable}=" in example, variable
        assert f"`{variable}`" in docs, variable


def test_env_example_parses_as_valid_settings(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    (tmp_path / ".env").write_text((root / ".env.example").read_text())
    settings = load_settings()
    assert settings.admins == [11111111]
