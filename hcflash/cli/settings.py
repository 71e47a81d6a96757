"""Commands for settings and personal scheduling: config, optimize, simulate."""

from __future__ import annotations

import click

from hcflash.cli.app import Session, handles_errors, main


@main.command()
@click.argument("name", required=False)
@click.argument("value", required=False)
@click.pass_obj
@handles_errors
def config(session: Session, name: str | None, value: str | None) -> None:
    """Show settings, or set one.

    \b
    Examples:
      hcflash config
      hcflash config desired-retention 0.85
      hcflash config learning-steps "1m 10m 1h"
    """
    from hcflash.settings import EDITABLE, show_setting

    service = session.service()
    if name and value is not None:
        service.set_setting(name, value)
    settings = service.settings
    names = [name] if name else list(EDITABLE)
    for key in names:
        shown = show_setting(settings, key)  # raises the clear error for an unknown name
        click.echo(f"{key:18} {shown:12}  {EDITABLE[key][2]}")

@main.command()
@click.option("--dry-run", is_flag=True, help="Show the result without saving the parameters.")
@click.pass_obj
@handles_errors
def optimize(session: Session, dry_run: bool) -> None:
    """Fit FSRS to your own review history (like Anki's "Optimize").

    The new parameters are kept only if they predict your reviews better (lower log loss) than the
    ones in use; the scheduler and the Anki export use them from then on.
    """
    service = session.service()
    result = service.optimize(dry_run=dry_run)
    if result.needed:
        click.echo(
            f"Not enough history yet: {result.items} review(s) on later days than the card's previous one; "
            f"about {result.needed} more are needed. Keeping the current parameters."
        )
        return
    assert result.current_eval is not None
    click.echo(f"Training items: {result.items}")
    click.echo(f"Current parameters: log loss {result.current_eval.log_loss:.4f}, RMSE {result.current_eval.rmse:.4f}")
    if result.fitted_eval is None:
        click.echo("The fit did not converge; keeping the current parameters.")
        return
    click.echo(f"Fitted parameters:  log loss {result.fitted_eval.log_loss:.4f}, RMSE {result.fitted_eval.rmse:.4f}")
    if not result.improves:
        click.echo("The fitted parameters are not better; keeping the current ones.")
    elif dry_run:
        click.echo("Better, but not saved (--dry-run).")
    else:
        click.echo("Saved: the scheduler uses the new parameters from now on.")

@main.command()
@click.pass_obj
@handles_errors
def simulate(session: Session) -> None:
    """What each desired retention would cost and give over the next year, on your collection.

    Like Anki's "help me decide": higher retention means more reviews per day for more cards known.
    """
    service = session.service()
    current = service.settings.desired_retention
    click.echo(f"{'retention':>9}  {'reviews/day':>11}  {'minutes/day':>11}  {'known after a year':>18}")
    for row in service.simulate():
        mark = "  ← current" if abs(row.retention - current) < 1e-9 else ""
        click.echo(
            f"{row.retention:>9.2f}  {row.reviews_per_day:>11.1f}  {row.minutes_per_day:>11.1f}  {row.known_after_a_year:>18.0f}{mark}"
        )


@main.group("preset", invoke_without_command=True)
@click.pass_context
@handles_errors
def preset_group(ctx: click.Context) -> None:
    """Deck-option presets for the daily limits, as in Anki: list them, change one, give one to a deck.

    A deck's limit counts the cards studied in it and its sub-decks; studying a deck, its limit caps
    the session and each sub-deck's limit caps what comes from that sub-deck. Decks without a preset
    use Default, which is `hcflash config new-per-day` / `reviews-per-day`.

    \b
    Examples:
      hcflash preset
      hcflash preset set Light --new 5 --reviews 100
      hcflash preset use "Healthcare Interop::IHE Profiles" Light
    """
    if ctx.invoked_subcommand is not None:
        return
    service = ctx.obj.service()
    settings = service.settings
    users: dict[str, list[str]] = {}
    for deck, name in sorted(settings.deck_presets.items()):
        users.setdefault(name, []).append(deck)
    click.echo(f"{'preset':16} {'new/day':>8} {'reviews/day':>12}  decks")
    click.echo(f"{'Default':16} {settings.new_per_day:>8} {settings.reviews_per_day:>12}  every other deck")
    for name, values in sorted(settings.presets.items()):
        decks = ", ".join(users.get(name, [])) or "-"
        click.echo(f"{name:16} {values['new_per_day']:>8} {values['reviews_per_day']:>12}  {decks}")


@preset_group.command("set")
@click.argument("name")
@click.option("--new", "new", type=int, help="New cards per day.")
@click.option("--reviews", "reviews", type=int, help="Reviews per day.")
@click.pass_obj
@handles_errors
def preset_set(session: Session, name: str, new: int | None, reviews: int | None) -> None:
    """Create preset NAME or change its limits (Default changes the global limits)."""
    from hcflash.settings import set_preset

    service = session.service()
    service.save_settings(set_preset(service.settings, name, new, reviews))
    limits = service.settings.presets.get(name) or {"new_per_day": service.settings.new_per_day,
                                                     "reviews_per_day": service.settings.reviews_per_day}
    click.echo(f"{name}: {limits['new_per_day']} new, {limits['reviews_per_day']} reviews per day")


@preset_group.command("use")
@click.argument("deck")
@click.argument("name")
@click.pass_obj
@handles_errors
def preset_use(session: Session, deck: str, name: str) -> None:
    """Give DECK the preset NAME (Default: back to the global limits)."""
    from hcflash.errors import ConfigError
    from hcflash.settings import use_preset

    service = session.service()
    service.sync()
    if not any(d.name == deck for d in service.deck_counts()):
        raise ConfigError(f"no deck named {deck!r}; `hcflash decks` lists them")
    service.save_settings(use_preset(service.settings, deck, name))
    click.echo(f"{deck} uses {name}")
