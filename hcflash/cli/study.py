"""Commands for studying: status, review, stats."""

from __future__ import annotations

import sys
from datetime import timedelta

import click

from hcflash.cli.app import Session, handles_errors, main


@main.command()
@click.option("--short", is_flag=True, help="One line for a shell prompt or tmux status line; reads the store without syncing.")
@click.option("--json", "as_json", is_flag=True, help="The counts as JSON; reads the store without syncing.")
@click.pass_obj
@handles_errors
def status(session: Session, short: bool, as_json: bool) -> None:
    """What is due today, in one line per queue.

    With --short or --json it answers in a few milliseconds (it does not read the deck files), for
    a shell prompt or a tmux status line:

    \b
      tmux:  set -g status-right '#(hcflash status --short)'
      bash:  PS1='[$(hcflash status --short)] \\w \\$ '
    """
    service = session.service()
    if short or as_json:
        from hcflash.prompt import status_line

        counts = service.queue_counts()
        click.echo(status_line(counts.review, counts.learning, counts.new, as_json))
        return
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
    stats_obj = service.stats()
    numbers = stats_json(stats_obj)
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
    forecast = stats_obj.forecast[:7]
    days = [(stats_obj.today + timedelta(days=n)).strftime("%a") for n in range(len(forecast))]
    click.echo("Due in the next 7 days: " + " · ".join(f"{day} {count}" for day, count in zip(days, forecast, strict=True))
               + "  (today includes overdue cards)")

@main.command()
@click.argument("deck", required=False)
@click.option("--plain", is_flag=True, help="Line-by-line review in the terminal, without the full-screen app.")
@click.option("--new-today", type=click.IntRange(min=1), metavar="N", help="Study more: raise today's new-card limit by N.")
@click.option("--reviews-today", type=click.IntRange(min=1), metavar="N", help="Study more: raise today's review limit by N.")
@click.option("--ahead", type=click.IntRange(min=1), metavar="DAYS", help="Study more: review cards due in the next DAYS days.")
@click.option("--forgotten", type=click.IntRange(min=1), metavar="DAYS", help="Study more: cards you rated Again in the last DAYS days.")
@click.option("--cram", is_flag=True, help="Study more: every card (of DECK, or --tag), without changing the schedule.")
@click.option("--tag", help="With --cram: only cards with this tag.")
@click.option("--home", is_flag=True, hidden=True, help="Open on the deck list instead of the first card.")
@click.pass_obj
@handles_errors
def review(
    session: Session, deck: str | None, plain: bool, new_today: int | None = None, reviews_today: int | None = None,
    ahead: int | None = None, forgotten: int | None = None, cram: bool = False, tag: str | None = None, home: bool = False,
) -> None:
    """Review what is due (all decks, or DECK and its sub-decks), starting at the first card.

    `hcflash` with no command opens the deck list instead. The study-more options are Anki's
    custom study: raise today's limits, review ahead, review forgotten cards, or cram.

    \b
    Examples:
      hcflash review
      hcflash review "Healthcare Interop::IHE Profiles" --new-today 10
      hcflash review --forgotten 3
      hcflash review --cram --tag myth
    """
    from hcflash.errors import ConfigError

    tui = not plain and sys.stdin.isatty() and sys.stdout.isatty()
    service = session.service(interactive=tui)
    report = service.sync()
    decks = [deck] if deck else None
    if deck and not any(d.name == deck for d in service.deck_counts()):
        raise ConfigError(f"no deck named {deck!r}; `hcflash decks` lists them")
    chosen = [(kind, amount) for kind, amount in (("new", new_today), ("reviews", reviews_today), ("ahead", ahead),
              ("forgotten", forgotten), ("cram", 1 if cram else None)) if amount]
    if len(chosen) > 1:
        raise ConfigError("choose one way to study more: --new-today, --reviews-today, --ahead, --forgotten or --cram")
    if tag and not cram:
        raise ConfigError("--tag goes with --cram")
    if chosen:
        kind, amount = chosen[0]
        if not service.study_more(deck, kind, amount, tag):
            click.echo("Nothing to study that way: no cards match.")
            return
    if not tui:
        from hcflash.bulk import release_after_start
        from hcflash.plain_review import run_plain_review

        release_after_start()
        run_plain_review(service, decks, report)
        return
    from hcflash.tui.app import HcflashApp

    HcflashApp(service, decks=decks, sync_report=report, start_review=not home).run()
