"""Learner settings with Anki-like defaults, and how each is written on the command line.

Stored in the store's `settings` table as one JSON value per key, so the CLI (`hcflash config`)
and the TUI settings screen edit the same thing.
"""

from __future__ import annotations

import math
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
        """Settings from the store's table. A stored value `hcflash config` would refuse (edited by
        hand, or written by an older bug) is replaced by its default here and named by
        `stored_problems`, so that nothing downstream ever computes with it."""
        known = {f.name: f for f in fields(cls)}
        defaults = cls()
        kwargs = {}
        for key, value in values.items():
            if key in known and _stored_value_ok(key, value, getattr(defaults, key)):
                kwargs[key] = tuple(value) if isinstance(value, list) else value
        return replace(defaults, **kwargs)

    @classmethod
    def stored_problems(cls, values: dict[str, Any]) -> list[str]:
        """What is wrong with the stored settings, each with the command that sets it right."""
        defaults = cls()
        names = {field_name: name for name, (field_name, _, _) in EDITABLE.items()}
        problems = []
        for key, value in values.items():
            if hasattr(defaults, key) and not _stored_value_ok(key, value, getattr(defaults, key)):
                shown = repr(value)[:60]
                fix = f"`hcflash config {names[key]} VALUE` sets it" if key in names else "it is ignored"
                problems.append(f"the stored setting {key} = {shown} is not valid; {fix}")
        return problems


MAX_STEP_SECONDS = 36500 * 86400  # a step may be as long as the longest interval, 100 years
MAX_STEPS = 20
# What the scheduler and the day boundaries can work with, for values read back from the store.
# `hcflash config` is stricter for some (it refuses 10,000 new cards a day); a value outside these
# bounds would break every review (a 25 o'clock rollover, a retention of 1).
_RANGES: dict[str, tuple[float, float]] = {
    "desired_retention": (0.7, 0.99),
    "maximum_interval": (1, 36500),
    "new_per_day": (0, 10**9),
    "reviews_per_day": (0, 10**9),
    "rollover_hour": (0, 23),
    "leech_threshold": (1, 10**9),
    "learn_ahead_minutes": (0, 1440),
    "backups_kept": (1, 10**9),
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _stored_value_ok(name: str, value: Any, default: Any) -> bool:
    """Whether a value read from the settings table is one `hcflash config` could have written."""
    if name in ("learning_steps", "relearning_steps"):
        return isinstance(value, list | tuple) and len(value) <= MAX_STEPS and all(
            isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= MAX_STEP_SECONDS for s in value
        )
    if name == "timezone":
        return isinstance(value, str) and _zone_ok(value)
    if name == "deck_dirs":
        return isinstance(value, list | tuple) and all(isinstance(d, str) for d in value)
    if name == "fsrs_parameters":
        return isinstance(value, list | tuple) and all(_is_number(v) for v in value)
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float) and not _is_number(value):
        return False
    if isinstance(default, int) and not (isinstance(value, int) and not isinstance(value, bool)):
        return False
    if isinstance(default, str):
        return isinstance(value, str)
    low, high = _RANGES.get(name, (-math.inf, math.inf))
    return low <= value <= high


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _parse_steps(text: str) -> tuple[int, ...]:
    """'1m 10m' or '30s 1h' → seconds; each step a whole number of seconds from 1 s to 100 years."""
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
        if not math.isfinite(amount):
            raise ConfigError(f"step {part!r} is not a number with a unit")
        if amount <= 0:
            raise ConfigError(f"step {part!r} must be positive")
        seconds = round(amount * units[unit])
        if not 1 <= seconds <= MAX_STEP_SECONDS:
            raise ConfigError(f"step {part!r} must be between 1s and 36500d")
        steps.append(seconds)
    if len(steps) > MAX_STEPS:
        raise ConfigError(f"at most {MAX_STEPS} steps")
    return tuple(steps)


def _ranged(kind: type, low: float, high: float):
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except (ValueError, OverflowError) as exc:
            raise ConfigError(f"{text!r} is not a {kind.__name__}") from exc
        if not (math.isfinite(value) and low <= value <= high):
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


def _zone_ok(text: str) -> bool:
    if not text:
        return True
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _zone(text: str) -> str:
    if not _zone_ok(text):
        raise ConfigError(f"unknown time zone {text!r} (use an IANA name like America/New_York)")
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
