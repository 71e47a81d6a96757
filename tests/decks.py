"""Deck texts the tests share: one place to read what each test collection holds.

`TUI_DECK` and `OTHER_DECK` make the small collection the TUI tests and snapshots drive (a basic card
with a table, a list card, a cloze and a code card, in two decks); `ANKI_DECK` adds a reversed card
and a two-deletion cloze, which the Anki round trip needs.
"""

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


ANKI_DECK = """
---
deck: Interop::Standards
id-prefix: std
tags: [demo]
---

## Which HL7 v2 message carries lab results? <!-- id: std-oru -->

**ORU^R01**; results sit in OBX segments.

| Segment | Holds |
|---|---|
| OBX | one result |

Source: [HL7 v2.5.1](https://www.hl7.org/), chapter 7
Tags: v2 lab

## PIX answers with {{c1::identifiers}} from {{c2::other domains}}. <!-- id: std-pix -->

Source: IHE ITI TF-1, section 5

## XDS.b <!-- id: std-xds -->

Cross-enterprise document sharing.

Source: IHE ITI TF-1, section 10
Reverse: yes
"""


# One deck per card kind the snapshots show: a cloze of three deletions, a reversed card, a code card
# with a line longer than the screen is wide.
KINDS_DECKS = {
    "cloze.md": """
---
deck: Kinds::Cloze
id-prefix: kc
---

## PIX feeds with {{c1::ITI-8}}, queries with {{c2::ITI-9}} and notifies with {{c3::ITI-10}}. <!-- id: kc-pix -->

Source: IHE ITI TF-1, 5
""",
    "reverse.md": """
---
deck: Kinds::Reverse
id-prefix: kr
---

## QHIN <!-- id: kr-qhin -->

Qualified Health Information Network, the TEFCA network role.

Source: Common Agreement v2.0, definitions
Reverse: yes
""",
    "code.md": """
---
deck: Kinds::Code
id-prefix: kx
---

## Which HL7 v2 segment is this, and which field holds the patient's identifiers? <!-- id: kx-pid -->

```
PID|1||123456^^^HOSP^MR~987654321^^^SSA^SS||DOE^JANE^Q^^^^L||19800101|F|||100 MAIN ST^^SPRINGFIELD^IL^62701^USA^H
```

PID, the patient identification segment; PID-3 holds the identifier list.

Source: HL7 v2.5.1, chapter 3, PID
""",
}
