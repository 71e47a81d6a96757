"""Learner settings with Anki-like defaults, and how each is written on the command line.

Stored in the store's `settings` table as one JSON value per key, so the CLI (`hcflash config`)
and the TUI settings screen edit the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta, tzinfo
from typing import Any

from hcflash.errors import ConfigError


@dataclass(frozen=True)
class Settings:
    """Every setting a learner can change, with Anki's defaults; a record, so that a change is a
    new value saved whole (`replace`) and never a half-applied edit."""

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
    # Anki's sibling burying: after a card is answered, its siblings of these kinds wait for tomorrow.
    bury_new: bool = True
    bury_reviews: bool = True
    bury_interday: bool = True
    # Anki's deck-option presets, for the daily limits: name → {"new_per_day", "reviews_per_day"};
    # decks not named in deck_presets use the Default preset (new_per_day and reviews_per_day above).
    presets: dict[str, dict[str, int]] = field(default_factory=dict)
    deck_presets: dict[str, str] = field(default_factory=dict)
    # "Study more today" (Anki's custom study): deck → [study day as YYYY-MM-DD, extra cards].
    extra_new_today: dict[str, list] = field(default_factory=dict)
    extra_reviews_today: dict[str, list] = field(default_factory=dict)
    theme: str = ""  # the Textual theme the learner last chose; empty for the default

    @property
    def tz(self) -> tzinfo | None:
        if not self.timezone:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only for a zone set: most learners use the machine's

        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {self.timezone!r} in settings") from exc

    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(timedelta(seconds=s) for s in self.learning_steps)

    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(timedelta(seconds=s) for s in self.relearning_steps)

    def deck_limits(self, deck: str) -> tuple[int, int]:
        """(new cards/day, reviews/day) of a deck's preset; the Default preset for unassigned decks."""
        preset = self.presets.get(self.deck_presets.get(deck, ""))
        if preset is None:
            return self.new_per_day, self.reviews_per_day
        return int(preset.get("new_per_day", self.new_per_day)), int(preset.get("reviews_per_day", self.reviews_per_day))

    def extra_today(self, deck: str, day: str) -> tuple[int, int]:
        """Cards added to today's new and review limits of a deck by "study more today"."""
        def extra(table: dict[str, list]) -> int:
            entry = table.get(deck)
            return int(entry[1]) if entry and entry[0] == day else 0

        return extra(self.extra_new_today), extra(self.extra_reviews_today)

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
    if isinstance(default, dict):
        return isinstance(value, dict) and all(isinstance(k, str) and _entry_ok(name, v) for k, v in value.items())
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


def _count_ok(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10**9


def _entry_ok(name: str, value: Any) -> bool:
    """One entry of a mapping setting: a preset's limits, a deck's preset name, a day's extra cards."""
    if name == "presets":
        return isinstance(value, dict) and all(isinstance(k, str) and _count_ok(v) for k, v in value.items())
    if name == "deck_presets":
        return isinstance(value, str)
    if name in ("extra_new_today", "extra_reviews_today"):
        return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and _count_ok(value[1])
    return True


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
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    "bury-new": ("bury_new", _bool, "after a card is answered, its new siblings wait for tomorrow (on/off)"),
    "bury-reviews": ("bury_reviews", _bool, "after a card is answered, its review siblings wait for tomorrow (on/off)"),
    "bury-interday": ("bury_interday", _bool, "after a card is answered, its interday learning siblings wait (on/off)"),
}

DEFAULT_PRESET = "Default"


def set_preset(settings: Settings, name: str, new_per_day: int | None, reviews_per_day: int | None) -> Settings:
    """Create or change a preset's daily limits; the Default preset is the global limits."""
    if new_per_day is not None and not 0 <= new_per_day <= 9999:
        raise ConfigError(f"new cards/day {new_per_day} is outside 0..9999")
    if reviews_per_day is not None and not 0 <= reviews_per_day <= 99999:
        raise ConfigError(f"reviews/day {reviews_per_day} is outside 0..99999")
    if name == DEFAULT_PRESET:
        return replace(
            settings,
            new_per_day=settings.new_per_day if new_per_day is None else new_per_day,
            reviews_per_day=settings.reviews_per_day if reviews_per_day is None else reviews_per_day,
        )
    if not name.strip():
        raise ConfigError("a preset needs a name")
    current = settings.presets.get(name, {"new_per_day": settings.new_per_day, "reviews_per_day": settings.reviews_per_day})
    updated = {
        "new_per_day": current["new_per_day"] if new_per_day is None else new_per_day,
        "reviews_per_day": current["reviews_per_day"] if reviews_per_day is None else reviews_per_day,
    }
    return replace(settings, presets={**settings.presets, name: updated})


def use_preset(settings: Settings, deck: str, name: str) -> Settings:
    """Give a deck a preset (Default: back to the global limits)."""
    assignments = {d: p for d, p in settings.deck_presets.items() if d != deck}
    if name != DEFAULT_PRESET:
        if name not in settings.presets:
            known = ", ".join([DEFAULT_PRESET, *sorted(settings.presets)])
            raise ConfigError(f"no preset named {name!r}; known: {known}")
        assignments[deck] = name
    return replace(settings, deck_presets=assignments)


def add_today(settings: Settings, deck: str, day: str, new: int = 0, reviews: int = 0) -> Settings:
    """Raise today's limits of a deck (Anki's custom study "increase today's limit")."""
    if new < 0 or reviews < 0:
        raise ConfigError("today's limits can only be raised")
    have_new, have_reviews = settings.extra_today(deck, day)
    return replace(
        settings,
        extra_new_today={**settings.extra_new_today, deck: [day, have_new + new]},
        extra_reviews_today={**settings.extra_reviews_today, deck: [day, have_reviews + reviews]},
    )


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
