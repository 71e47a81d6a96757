"""Commands for studying: status, review, stats."""

from __future__ import annotations

import sys

import click

from hcflash.cli.app import Session, handles_errors, main


@main.command()
@click.pass_obj
@handles_errors
def status(session: Session) -> None:
    """What is due today, in one line per queue."""
    service = session.service()
    service.sync()
    counts = service.queue_counts()
    _, day_end = service.day_bounds()
    click.echo(f"Due today: {counts.review} review(s), {counts.learning} in learning, {counts.new} new.")
    if counts.total == 0:
        click.echo(f"Nothing left today; the next study day starts {day_end.astimezone():%a %H:%M}.")
    click.echo(f"Store: {service.store.path}")

@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON, for scripts.")
@click.pass_obj
@handles_errors
def stats(session: Session, as_json: bool) -> None:
    """Reviews and true retention over 30 days, the due forecast, cards by state."""
    import json

    from hcflash.stats import stats_json

    service = session.service()
    numbers = stats_json(service.stats())
    settings = service.settings
    numbers["desired_retention"] = settings.desired_retention
    numbers["fsrs_parameters"] = list(settings.fsrs_parameters) or None
    numbers["optimized_at"] = settings.optimized_at or None
    if as_json:
        click.echo(json.dumps(numbers, indent=2))
        return
    retention = numbers["true_retention_30d"]
    reviews = sum(d["reviews"] for d in numbers["last_30_days"])  # type: ignore[union-attr]
    click.echo(f"Last 30 days: {reviews} review(s), true retention " + (f"{retention:.1%}" if retention is not None else "-"))
    click.echo("Cards: " + ", ".join(f"{n} {state}" for state, n in sorted(numbers["cards_by_state"].items())))  # type: ignore[union-attr]
    click.echo(f"Due in the next 7 days: {numbers['due_forecast_30d'][:7]}")

@main.command()
@click.argument("deck", required=False)
@click.option("--plain", is_flag=True, help="Line-by-line review in the terminal, without the full-screen app.")
@click.option("--home", is_flag=True, hidden=True, help="Open on the deck list instead of the first card.")
@click.pass_obj
@handles_errors
def review(session: Session, deck: str | None, plain: bool, home: bool = False) -> None:
    """Review what is due (all decks, or DECK and its sub-decks), starting at the first card.

    `hcflash` with no command opens the deck list instead.
    """
    service = session.service(exclusive=True)
    report = service.sync()
    decks = [deck] if deck else None
    if deck and not any(d.name == deck for d in service.deck_counts()):
        from hcflash.errors import ConfigError

        raise ConfigError(f"no deck named {deck!r}; `hcflash decks` lists them")
    if plain or not sys.stdin.isatty() or not sys.stdout.isatty():
        from hcflash.plain_review import run_plain_review

        run_plain_review(service, decks, report)
        return
    from hcflash.tui.app import HcflashApp

    HcflashApp(service, decks=decks, sync_report=report, start_review=not home).run()
