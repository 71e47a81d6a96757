"""Provenance in the deck format: Verified dates, specification versions, validity windows and change
kinds are parsed exactly, and each mistake gets its code at its line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from hcflash.check import check_paths
from hcflash.deck import parse_deck
from hcflash.issue_codes import MEANINGS
from hcflash.records import CardChange, SpecRef

from .conftest import write_deck

DATED = """---
deck: Interop::IHE
id-prefix: ihe
specs:
  mCSD: 4.0.0
  FHIR: R4 4.0.1
require-verified: true
---

## Which transaction does an mCSD Query Client use to find care services? <!-- id: ihe-mcsd-find -->

ITI-90, Find Matching Care Services.

Source: IHE mCSD 4.0.0, 2:3.90
Spec: mCSD 4.0.0; FHIR R4 4.0.1
Verified: 2026-11-20
Change: fact 2026-11-20 mCSD 4.0.0 renamed the actors
Valid-from: 2025-05-01

## An old card <!-- id: ihe-old -->

Answer.

Source: IHE mCSD 3.9.0
Spec: mCSD 3.9.0
Verified: 2024-01-10
Valid-until: 2025-04-30
Change: wording 2024-01-10

## A card about an old version on purpose <!-- id: ihe-pinned -->

Answer.

Source: IHE mCSD 3.9.0
Spec: mCSD 3.9.0 (pinned)
Verified: 2026-11-01

## An undated card <!-- id: ihe-undated -->

Answer.

Source: IHE ITI TF-1
"""


def test_provenance_lines_are_parsed_into_the_note():
    deck = parse_deck(DATED, Path("decks/ihe.md"))
    assert deck.issues == ()
    first, old, pinned, undated = deck.notes
    assert first.verified == date(2026, 11, 20)
    assert first.specs == (SpecRef("mCSD", "4.0.0"), SpecRef("FHIR R4", "4.0.1"))
    assert first.change == CardChange("fact", date(2026, 11, 20), "mCSD 4.0.0 renamed the actors")
    assert first.valid_from == date(2025, 5, 1) and first.valid_until is None
    assert first.sources == ("IHE mCSD 4.0.0, 2:3.90",)  # the lines after Source: are not part of it
    assert old.valid_until == date(2025, 4, 30) and old.change == CardChange("wording", date(2024, 1, 10))
    assert pinned.specs == (SpecRef("mCSD", "3.9.0", pinned=True),)
    assert undated.verified is None
    assert deck.header.specs == (SpecRef("mCSD", "4.0.0"), SpecRef("FHIR R4", "4.0.1"))
    assert deck.header.require_verified is True


def test_spec_versions_order_by_their_numbers():
    assert SpecRef("FHIR", "R4").version_key < SpecRef("FHIR", "R5").version_key
    assert SpecRef("mCSD", "3.9.0").version_key < SpecRef("mCSD", "4.0.0").version_key
    assert SpecRef("US Core", "6.1.0").version_key < SpecRef("US Core", "10.0.0").version_key


def test_check_warns_on_old_verification_old_spec_and_missing_date(tmp_path: Path):
    write_deck(tmp_path, "ihe.md", DATED)
    result = check_paths([tmp_path], today=date(2026, 11, 29))
    found = [(i.code, i.line, i.severity) for i in result.issues]
    assert found == [
        ("HC160", 20, "warning"),  # verified 2024-01-10, more than 12 months before 2026-11-29
        ("HC161", 20, "warning"),  # mCSD 3.9.0 where the deck's current is 4.0.0; the pinned card is exempt
        ("HC162", 38, "warning"),  # no Verified: in a deck that requires it
    ]
    assert check_paths([tmp_path], today=date(2026, 11, 29), max_age_months=48).issues[0].code == "HC161"


@pytest.mark.parametrize(
    ("meta", "code", "line"),
    [
        ("Verified: 20-11-2026", "HC125", 6),
        ("Verified: 2026-02-30", "HC125", 6),
        ("Verified: 2027-01-01", "HC125", 1),  # later than today: found by the check, at the card
        ("Spec: 4.0.0", "HC126", 6),
        ("Valid-from: soon", "HC127", 6),
        ("Valid-from: 2026-05-01\nValid-until: 2026-01-01", "HC127", 7),
        ("Change: fact 2026-11-01", "HC128", 6),  # a fact change needs its reason
        ("Change: typo 2026-11-01", "HC128", 6),
        ("Change: wording yesterday", "HC128", 6),
    ],
)
def test_each_bad_provenance_line_has_its_code_at_its_line(tmp_path: Path, meta: str, code: str, line: int):
    write_deck(tmp_path, "d.md", "## Q <!-- id: q -->\n\nA.\n\nSource: IHE ITI TF-1, 5\n" + meta + "\n")
    result = check_paths([tmp_path], today=date(2026, 11, 29))
    assert [(i.code, i.line) for i in result.issues] == [(code, line)]


def test_every_check_code_is_documented_with_the_same_meaning():
    doc = (Path(__file__).parent.parent / "docs" / "deck-format.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| (HC\d{3}) \| (.+) \|$", doc, re.M))
    assert documented == MEANINGS


def test_check_stale_is_a_work_list_oldest_first(tmp_path: Path):
    from hcflash.check import stale_cards

    write_deck(tmp_path, "ihe.md", DATED)
    result = check_paths([tmp_path], today=date(2026, 11, 29))
    work = stale_cards(result, date(2026, 11, 29))
    assert [(c.id, c.describe(date(2026, 11, 29))) for c in work] == [
        ("ihe-undated", "never verified"),
        ("ihe-old", "verified 2024-01-10 (34 month(s) ago); checked against mCSD 3.9.0, current 4.0.0"),
    ]
