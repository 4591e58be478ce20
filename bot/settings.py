"""Settings: the only place that reads the environment and the ``.env`` file.

Every variable is prefixed ``MARSTEK_`` (``MARSTEK_TELEGRAM_TOKEN``, ``MARSTEK_BATTERIES``, …);
``.env.example`` documents each one, and ``docs/configuration.md`` explains them. Build one
:class:`Settings` with :func:`load_settings` in ``__main__`` and pass it down.
"""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "MARSTEK_"
DEFAULT_API_PORT = 30000
TEMPO_SOURCE_NAMES = ("api-couleur-tempo", "rte", "rte-public")


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """``"22:00-07:00"`` → (22:00, 07:00); ``""`` → None (no quiet hours)."""
    text = text.strip()
    if not text:
        return None
    start, sep, end = text.partition("-")
    shape = f"« {text} » devrait avoir la forme HH:MM-HH:MM"
    if not sep:
        raise ValueError(shape)
    try:
        first, last = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError as err:
        raise ValueError(shape) from err
    if first == last:
        raise ValueError("le début et la fin des heures calmes sont identiques")
    return first, last


class SettingsError(Exception):
    """A setting has a bad value; the message is one sentence naming the variable."""


class BatteryConfig(BaseModel):
    """One configured battery: a display name and where its Open API listens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=40)
    host: str = Field(min_length=1)
    port: int = Field(default=DEFAULT_API_PORT, ge=1, le=65535)


def _split_csv(value: Any) -> Any:
    """Accept ``"a,b"`` as well as a JSON list for list-valued variables."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text.startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


def _parse_battery(item: Any) -> Any:
    """Accept ``name@host[:port]`` as well as ``{"name":…,"host":…,"port":…}``."""
    if not isinstance(item, str):
        return item
    name, sep, address = item.partition("@")
    if not sep:
        raise ValueError(f"« {item} » devrait avoir la forme nom@adresse[:port]")
    host, _, port = address.partition(":")
    return {
        "name": name.strip(),
        "host": host.strip(),
        "port": int(port) if port else DEFAULT_API_PORT,
    }


class Settings(BaseSettings):
    """Every setting of the bot, with its default."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    # Telegram
    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    admins: Annotated[list[int], NoDecode] = Field(default_factory=list)
    viewers: Annotated[list[int], NoDecode] = Field(default_factory=list)
    language: Literal["fr", "en"] = "fr"
    telegram_poll_timeout_s: float = Field(default=30.0, ge=0.0, le=120.0)
    alert_delivery_interval_s: float = Field(default=3.0, ge=0.1, le=600.0)
    rate_limit_burst: int = Field(default=8, ge=1, le=10000)
    rate_limit_per_minute: float = Field(default=30.0, gt=0.0, le=100000.0)

    # Batteries and the Open API pace
    batteries: Annotated[list[BatteryConfig], NoDecode] = Field(default_factory=list)
    api_port: int = Field(default=DEFAULT_API_PORT, ge=1, le=65535)
    local_port: int | None = Field(default=None, ge=0, le=65535)
    request_gap_s: float = Field(default=5.0, ge=0.0, le=600.0)
    request_timeout_s: float = Field(default=2.0, gt=0.0, le=60.0)
    request_tries: int = Field(default=3, ge=1, le=10)
    discovery_broadcast: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Empty: 255.255.255.255 plus each network interface's subnet broadcast."""
    discovery_window_s: float = Field(default=9.0, gt=0.0, le=120.0)

    # Monitoring
    poll_interval_s: float = Field(default=30.0, ge=1.0, le=3600.0)
    meter_poll_interval_s: float = Field(default=300.0, ge=10.0, le=86400.0)
    unreachable_after_failures: int = Field(default=3, ge=1, le=100)
    api_silence_alert_min: float = Field(default=15.0, gt=0.0, le=1440.0)
    low_soc_alert_pct: float = Field(default=10.0, ge=0.0, le=100.0)
    high_temperature_alert_c: float = Field(default=45.0, ge=20.0, le=80.0)
    retention_days: int = Field(default=30, ge=1, le=3650)

    # Storage
    data_dir: Path = Path("data")
    database_url: str | None = None

    # House and tariff
    timezone: str = "Europe/Paris"
    contract_power_kva: float = Field(default=9.0, ge=3.0, le=36.0)
    precharge_target_soc_pct: float = Field(default=100.0, ge=20.0, le=100.0)
    treat_white_as_red: bool = False
    precharge_when_unknown: bool = True
    automation: bool = True
    dry_run: bool = False
    wear_cost_eur_kwh: float = Field(default=0.0, ge=0.0, le=1.0)
    plan_check_interval_s: float = Field(default=300.0, ge=10.0, le=3600.0)
    plan_refusals_alert: int = Field(default=3, ge=1, le=50)
    quiet_hours: str = ""
    tempo_sources: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(TEMPO_SOURCE_NAMES)
    )
    tempo_unknown_alert_hour: int = Field(default=20, ge=11, le=23)
    tempo_api_couleur_tempo_url: str = "https://www.api-couleur-tempo.fr/api"
    tempo_rte_url: str = "https://digital.iservices.rte-france.com"
    tempo_rte_public_url: str = "https://www.services-rte.com"
    tempo_request_timeout_s: float = Field(default=10.0, gt=0.0, le=120.0)
    rte_client_id: str | None = None
    rte_client_secret: SecretStr | None = None
    prices_file: Path | None = None

    # Logging
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator("admins", "viewers", "discovery_broadcast", "tempo_sources", mode="before")
    @classmethod
    def _lists_from_csv(cls, value: Any) -> Any:
        return _split_csv(value)

    @field_validator("batteries", mode="before")
    @classmethod
    def _batteries_from_text(cls, value: Any) -> Any:
        items = _split_csv(value)
        return [_parse_battery(item) for item in items] if isinstance(items, list) else items

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("quiet_hours")
    @classmethod
    def _valid_quiet_hours(cls, value: str) -> str:
        parse_quiet_hours(value)
        return value.strip()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"« {value} » n'est pas un fuseau horaire connu") from err
        return value

    @field_validator("tempo_sources")
    @classmethod
    def _known_sources(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in TEMPO_SOURCE_NAMES]
        if unknown:
            raise ValueError(
                f"source(s) inconnue(s) {unknown} ; choisir parmi {list(TEMPO_SOURCE_NAMES)}"
            )
        if not value:
            raise ValueError("il faut au moins une source")
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The household's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'marstek.db').as_posix()}"

    def is_admin(self, user_id: int) -> bool:
        """Tell whether ``user_id`` may change things."""
        return user_id in self.admins

    def is_allowed(self, user_id: int) -> bool:
        """Tell whether ``user_id`` may at least read."""
        return user_id in self.admins or user_id in self.viewers


_FRENCH_MESSAGES = {
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "bool_parsing": "doit valoir true ou false",
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "literal_error": "doit être l'une de ces valeurs : {expected}",
    "string_too_short": "ne peut pas être vide",
    "missing": "est obligatoire",
}


def _french(error_type: str, ctx: dict[str, Any], fallback: str) -> str:
    template = _FRENCH_MESSAGES.get(error_type)
    if template is None:
        return fallback.removeprefix("Value error, ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return fallback


def describe_error(error: ValidationError, *, prefix_variable: bool = True) -> str:
    """One French sentence for the first problem (naming the variable unless told not to)."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "?"
    variable = f"{ENV_PREFIX}{field.upper()}"
    message = _french(first["type"], dict(first.get("ctx") or {}), first["msg"])
    if not prefix_variable:
        return message[:1].upper() + message[1:] + "."
    value = first.get("input")
    shown = (
        "" if field in ("telegram_token", "rte_client_secret") else f" (valeur reçue : {value!r})"
    )
    return f"Réglage invalide {variable} : {message}{shown}."


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from the environment, ``.env`` and ``overrides``.

    Raises :class:`SettingsError` with one clear sentence naming the variable on a bad value.
    """
    try:
        return Settings(**overrides)
    except ValidationError as err:
        raise SettingsError(describe_error(err)) from None
