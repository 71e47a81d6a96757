"""A line-by-line review for terminals without a full screen (pipes, screen readers, scripts).

Uses the same service calls as the TUI: each rating is committed before the next card is read.
"""

from __future__ import annotations

import sys

import click

from hcflash.records import SyncReport
from hcflash.schedule import RATINGS
from hcflash.service import StudyService
from hcflash.text_safety import plain_text


def _shown(text: str) -> str:
    """Card text for the terminal: line endings as line breaks, every other control code visible."""
    return plain_text(text.replace("\r\n", "\n"))


def _ask(prompt: str) -> str | None:
    """One line of input after a prompt; None at the end of input (a pipe that ran out, Ctrl+D)."""
    click.echo(f"{prompt}: ", nl=False)
    line = sys.stdin.readline()
    if not line:
        click.echo()
        return None
    return line.rstrip("\r\n")


def run_plain_review(service: StudyService, decks: list[str] | None, report: SyncReport) -> None:
    """Review until nothing is due, `q`, or the end of input; each ends with the session's summary."""
    if not report.nothing_changed:
        click.echo(f"Synced: {report.summary()}")
    reviewed = 0
    card = None
    while True:
        card = service.next_card(decks)
        if card is None:
            break
        counts = service.queue_counts(decks)
        click.echo(f"\n[{counts.new} new · {counts.learning} learning · {counts.review} due]  {_shown(card.deck)}")
        click.echo(_shown(card.front))
        answer = _ask("Enter to show the answer, q to quit")
        if answer is None or answer.strip().lower() == "q":
            break
        click.echo("-" * 40)
        click.echo(_shown(card.back))
        click.echo("Source: " + _shown("; ".join(card.sources)))
        previews = service.preview(card.id)
        click.echo("   ".join(f"{r}) {previews[r].label}" for r in RATINGS))
        choice = _ask("Rate 1-4 (q to quit) [3]")
        if choice is None or choice.strip().lower() == "q":
            break
        choice = choice.strip() or "3"
        if choice not in {"1", "2", "3", "4"}:
            click.echo("Not a rating; showing the card again later.")
            continue
        service.rate(card.id, int(choice))
        reviewed += 1
    click.echo(f"\nReviewed {reviewed} card(s). " + ("Nothing more is due now." if card is None else "See you later."))
