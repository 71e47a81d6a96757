"""Settings as written on the command line: exact parses and the error a learner reads."""

from __future__ import annotations

import pytest

from hcflash.errors import ConfigError
from hcflash.settings import Settings, apply_setting, show_setting


@pytest.mark.parametrize(
    ("name", "text", "field", "value"),
    [
        ("learning-steps", "1m 10m", "learning_steps", (60, 600)),
        ("learning-steps", "30s, 1h 1d", "learning_steps", (30, 3600, 86400)),
        ("desired-retention", "0.85", "desired_retention", 0.85),
        ("fuzz", "off", "fuzz", False),
        ("new-per-day", "7", "new_per_day", 7),
        ("timezone", "Europe/Berlin", "timezone", "Europe/Berlin"),
        ("deck-dirs", "a,b", "deck_dirs", ("a", "b")),
    ],
)
def test_values_parse_exactly(name, text, field, value):
    assert getattr(apply_setting(Settings(), name, text), field) == value


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("learning-steps", "10", "step '10' needs a unit: s, m, h or d (for example '1m 10m')"),
        ("learning-steps", "xm", "step 'xm' is not a number with a unit"),
        ("learning-steps", "-1m", "step '-1m' must be positive"),
        ("desired-retention", "0.5", "0.5 is outside 0.7..0.99"),
        ("new-per-day", "lots", "'lots' is not a int"),
        ("fuzz", "maybe", "'maybe' is not on/off"),
        ("timezone", "Mars/Olympus", "unknown time zone 'Mars/Olympus' (use an IANA name like America/New_York)"),
    ],
)
def test_bad_values_say_what_is_wrong(name, text, message):
    with pytest.raises(ConfigError) as err:
        apply_setting(Settings(), name, text)
    assert str(err.value) == message


def test_an_unknown_setting_lists_the_known_ones():
    with pytest.raises(ConfigError, match=r"unknown setting 'retention'; known: desired-retention, learning-steps"):
        apply_setting(Settings(), "retention", "0.9")


def test_values_round_trip_through_the_store_format_and_show_as_typed():
    custom = apply_setting(apply_setting(Settings(), "learning-steps", "30s 1h"), "fuzz", "off")
    assert Settings.from_values(custom.to_values()) == custom
    assert show_setting(custom, "learning-steps") == "30s 60m"
    assert show_setting(custom, "fuzz") == "off"
