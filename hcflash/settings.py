"""Learner settings with Anki-like defaults, and how each is written on the command line.

Stored in the store's `settings` table as one JSON value per key, so the CLI (`hcflash config`)
and the TUI settings screen edit the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hcflash.errors import ConfigError


@dataclass(frozen=True)
class Settings:
    desired_retention: float = 0.90
    learning_steps: tuple[int, ...] = (60, 600)  # seconds: 1m 10m
    relearning_steps: tuple[int, ...] = (600,)  # 10m
    maximum_interval: int = 36500  # days
    fuzz: bool = True
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    leech_threshold: int = 8
    timezone: str = ""  # IANA name; empty means the machine's local zone
    learn_ahead_minutes: int = 20
    deck_dirs: tuple[str, ...] = ()
    backups_kept: int = 10
    fsrs_parameters: tuple[float, ...] = ()  # empty means fsrs defaults
    optimized_at: str = ""  # UTC ISO time of the last `hcflash optimize` that saved parameters
    optimized_log_loss: float = 0.0  # log loss of the saved parameters on the data they were fitted to

    @property
    def tz(self) -> tzinfo | None:
        if not self.timezone:
            return None
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {self.timezone!r} in settings") from exc

    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(timedelta(seconds=s) for s in self.learning_steps)

    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(timedelta(seconds=s) for s in self.relearning_steps)

    def to_values(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Settings:
        known = {f.name: f for f in fields(cls)}
        kwargs = {}
        for key, value in values.items():
            if key in known:
                kwargs[key] = tuple(value) if isinstance(value, list) else value
        return replace(cls(), **kwargs)


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _parse_steps(text: str) -> tuple[int, ...]:
    """'1m 10m' or '30s 1h' → seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    steps = []
    for part in text.replace(",", " ").split():
        unit = part[-1].lower()
        if unit not in units:
            raise ConfigError(f"step {part!r} needs a unit: s, m, h or d (for example '1m 10m')")
        try:
            amount = float(part[:-1])
        except ValueError as exc:
            raise ConfigError(f"step {part!r} is not a number with a unit") from exc
        if amount <= 0:
            raise ConfigError(f"step {part!r} must be positive")
        steps.append(int(amount * units[unit]))
    return tuple(steps)


def _ranged(kind: type, low: float, high: float):
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError as exc:
            raise ConfigError(f"{text!r} is not a {kind.__name__}") from exc
        if not low <= value <= high:
            raise ConfigError(f"{text} is outside {low}..{high}")
        return value

    return parse


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("on", "yes", "true", "1"):
        return True
    if lowered in ("off", "no", "false", "0"):
        return False
    raise ConfigError(f"{text!r} is not on/off")


def _zone(text: str) -> str:
    if text:
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {text!r} (use an IANA name like America/New_York)") from exc
    return text


def _dirs(text: str) -> tuple[str, ...]:
    return tuple(p for p in text.split(",") if p.strip())


# CLI name → (field, parser, help)
EDITABLE: dict[str, tuple[str, Any, str]] = {
    "desired-retention": ("desired_retention", _ranged(float, 0.7, 0.99), "target recall probability, 0.70–0.99"),
    "learning-steps": ("learning_steps", _parse_steps, "steps for new cards, e.g. '1m 10m'"),
    "relearning-steps": ("relearning_steps", _parse_steps, "steps after a lapse, e.g. '10m'"),
    "maximum-interval": ("maximum_interval", _ranged(int, 1, 36500), "longest interval in days"),
    "fuzz": ("fuzz", _bool, "spread review intervals a little (on/off)"),
    "new-per-day": ("new_per_day", _ranged(int, 0, 9999), "new cards introduced per study day"),
    "reviews-per-day": ("reviews_per_day", _ranged(int, 0, 99999), "reviews shown per study day"),
    "rollover-hour": ("rollover_hour", _ranged(int, 0, 23), "local hour a new study day starts"),
    "leech-threshold": ("leech_threshold", _ranged(int, 1, 99), "lapses that make a card a leech (suspended)"),
    "timezone": ("timezone", _zone, "IANA zone for day boundaries; empty for this machine's"),
    "deck-dirs": ("deck_dirs", _dirs, "comma-separated deck folders used instead of the bundled decks"),
    "backups-kept": ("backups_kept", _ranged(int, 1, 1000), "how many automatic backups to keep"),
}


def _editable(name: str) -> tuple[str, Any, str]:
    if name not in EDITABLE:
        raise ConfigError(f"unknown setting {name!r}; known: {', '.join(EDITABLE)}")
    return EDITABLE[name]


def apply_setting(settings: Settings, name: str, text: str) -> Settings:
    field_name, parse, _ = _editable(name)
    return replace(settings, **{field_name: parse(text)})


def show_setting(settings: Settings, name: str) -> str:
    field_name = _editable(name)[0]
    value = getattr(settings, field_name)
    if field_name in ("learning_steps", "relearning_steps"):
        return " ".join(f"{s // 60}m" if s % 60 == 0 else f"{s}s" for s in value)
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)
