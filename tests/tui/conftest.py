"""A small deterministic collection for the TUI: fixed clock, fuzz off, fixed zone."""

from __future__ import annotations

from pathlib import Path

import pytest

from hcflash.service import StudyService
from hcflash.settings import Settings
from hcflash.store import Store
from hcflash.tui.app import HcflashApp

from ..conftest import FakeClock, write_deck

TUI_DECK = """
---
deck: Interop::Standards
id-prefix: std
tags: [demo]
---

## Which HL7 v2 message carries lab results? <!-- id: std-oru -->

**ORU^R01**, with results in OBX segments under an OBR.

| Segment | Holds |
|---|---|
| OBR | the order the results answer |
| OBX | one result each |

Source: HL7 v2.5.1, chapter 7
Tags: v2

## What does PIX cross-reference? <!-- id: std-pix -->

- patient identifiers
- across assigning authorities

Source: IHE ITI TF-1, section 5

## FHIR's search interaction uses {{c1::GET [base]/[type]?params}}. <!-- id: std-search -->

Source: HL7 FHIR R4 (4.0.1), RESTful API, search

## What is a code fence for? <!-- id: std-code -->

```
MSH|^~\\&|LAB|HOSP
```

Source: HL7 v2.5.1, chapter 2
"""

OTHER_DECK = """
---
deck: Interop::Rules
id-prefix: rule
---

## Which CFR section adopts USCDI? <!-- id: rule-uscdi -->

45 CFR 170.213.

Source: 45 CFR 170.213
"""


@pytest.fixture
def tui_service(tmp_path: Path, clock: FakeClock):
    decks = tmp_path / "decks"
    write_deck(decks, "standards.md", TUI_DECK)
    write_deck(decks, "rules.md", OTHER_DECK)
    store = Store.open(tmp_path / "tui.db")
    service = StudyService(store, [decks], clock=clock)
    service.save_settings(Settings(timezone="America/New_York", fuzz=False))
    service.sync()
    yield service
    store.close()


@pytest.fixture
def make_app(tui_service):
    def make(**kwargs) -> HcflashApp:
        return HcflashApp(tui_service, **kwargs)

    return make
