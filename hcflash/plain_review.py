"""A line-by-line review for terminals without a full screen (pipes, screen readers, scripts).

Uses the same service calls as the TUI: each rating is committed before the next card is read.
"""

from __future__ import annotations

import click

from hcflash.records import SyncReport
from hcflash.schedule import RATINGS
from hcflash.service import StudyService
from hcflash.text_safety import plain_text


def run_plain_review(service: StudyService, decks: list[str] | None, report: SyncReport) -> None:
    if not report.nothing_changed:
        click.echo(f"Synced: {report.summary()}")
    reviewed = 0
    while True:
        card = service.next_card(decks)
        if card is None:
            break
        counts = service.queue_counts(decks)
        click.echo(f"\n[{counts.new} new · {counts.learning} learning · {counts.review} due]  {plain_text(card.deck)}")
        click.echo(plain_text(card.front))
        if click.prompt("Enter to show the answer, q to quit", default="", show_default=False).strip().lower() == "q":
            break
        click.echo("-" * 40)
        click.echo(plain_text(card.back))
        click.echo("Source: " + plain_text("; ".join(card.sources)))
        previews = service.preview(card.id)
        click.echo("   ".join(f"{r}) {previews[r].label}" for r in RATINGS))
        choice = click.prompt("Rate 1-4 (q to quit)", default="3")
        if choice.strip().lower() == "q":
            break
        if choice.strip() not in {"1", "2", "3", "4"}:
            click.echo("Not a rating; showing the card again later.")
            continue
        service.rate(card.id, int(choice))
        reviewed += 1
    click.echo(f"\nReviewed {reviewed} card(s). " + ("Nothing more is due now." if card is None else "See you later."))
