"""The `hcflash` command line. User mistakes end here as one clear line and a non-zero exit."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from hcflash.errors import DeckError, HcflashError
from hcflash.exit_codes import EXIT_DECK_ERROR, EXIT_ERROR, EXIT_OK
from hcflash.locations import default_db_path

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Session:
    """What the commands share: where the store is and which deck folders to use, opened lazily."""

    def __init__(self, db: Path | None, decks: tuple[Path, ...]) -> None:
        self.db_path = db or default_db_path()
        self.deck_dirs = decks
        self._service: Any = None

    def service(self, exclusive: bool = False) -> Any:
        """The StudyService over the store; `exclusive` for a review session (see Store.open)."""
        if self._service is None:
            from hcflash.service import StudyService
            from hcflash.store import Store

            self._service = StudyService(Store.open(self.db_path, exclusive=exclusive), self.deck_dirs or None)
            self._service.daily_backup()
        return self._service

    def close(self) -> None:
        if self._service is not None:
            self._service.store.close()


def _report_deck_error(exc: DeckError) -> None:
    for issue in exc.issues:
        click.echo(str(issue), err=True)
    click.echo(f"{len(exc.issues)} problem(s) in the decks; the store was not changed.", err=True)


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's own errors into a message and an exit code, once, at the edge."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DeckError as exc:
            _report_deck_error(exc)
            sys.exit(EXIT_DECK_ERROR)
        except HcflashError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


@click.group(invoke_without_command=True, context_settings=CONTEXT_SETTINGS)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="Store file (default: $HCFLASH_DB, else the user data folder).")
@click.option(
    "--decks", "decks", multiple=True, type=click.Path(path_type=Path),
    help="Deck folder to use instead of the bundled decks (repeatable).",
)
@click.version_option(package_name="hcflash")
@click.pass_context
def main(ctx: click.Context, db: Path | None, decks: tuple[Path, ...]) -> None:
    """Spaced-repetition flashcards for US healthcare interoperability.

    With no command, syncs the decks and opens today's review.

    \b
    Examples:
      hcflash                     review what is due in all decks
      hcflash review "Healthcare Interop::USCDI"
      hcflash --decks ./decks check --fix
      hcflash status
    """
    session = Session(db, decks)
    ctx.obj = session
    ctx.call_on_close(session.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(review, deck=None, plain=False, home=True)


@main.command()
@click.pass_obj
@handles_errors
def sync(session: Session) -> None:
    """Bring the store in line with the deck folders.

    New cards are added; edited cards keep their id, schedule and history; removed cards are
    retired (history kept) and come back if re-added. A deck with errors changes nothing.

    \b
    Example:
      hcflash --decks ./decks sync
    """
    report = session.service().sync()
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"Synced: {report.summary()} ({report.files_parsed} file(s) read, {report.files_skipped} unchanged)")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--fix", is_flag=True, help="Write ids for cards that lack them; change nothing else.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--max-age", "max_age", type=click.IntRange(1, 240), default=12, show_default=True, metavar="MONTHS",
    help="Warn (HC160) on cards whose Verified: date is older than this.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["human", "github"]), default="human", show_default=True,
    help="github prints Actions annotations.",
)
@click.pass_obj
def check(session: Session, paths: tuple[Path, ...], fix: bool, strict: bool, max_age: int, fmt: str) -> None:
    """Validate deck files (default: --decks, else $HCFLASH_DECKS, else the bundled decks).

    Exits 2 on errors (or on warnings with --strict).

    \b
    Examples:
      hcflash check decks/
      hcflash check --fix decks/healthcare-interop/uscdi.md
      hcflash check --strict --format github decks/
    """
    from hcflash.check import check_paths, fix_paths
    from hcflash.locations import bundled_decks_dir, env_deck_dirs

    # The store is not opened: checking files must not create or touch a learner's store.
    targets = list(paths) or list(session.deck_dirs) or list(env_deck_dirs()) or [bundled_decks_dir()]
    if fix:
        for path, ids in fix_paths(targets).items():
            click.echo(f"{path}: added {len(ids)} id(s): {', '.join(ids)}" if ids else f"{path}: added the final newline")
    result = check_paths(targets, max_age_months=max_age)
    summary = (
        f"{len(result.files)} file(s), {result.cards} card(s): "
        f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)"
    )
    if fmt == "github":
        for issue in result.issues:
            click.echo(f"::{issue.severity} file={issue.path},line={issue.line},title={issue.code}::{issue.message}")
        click.echo(summary, err=True)
    else:
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False)
        for issue in result.issues:
            color = "red" if issue.severity == "error" else "yellow"
            console.print(
                Text.assemble((issue.where + ":", "bold"), " ", (f"{issue.severity} {issue.code}", color), f": {issue.message}"),
                soft_wrap=True,
            )
        console.print(Text(summary, style="bold red" if result.errors else "bold green"))
    if result.errors or (strict and result.warnings):
        sys.exit(EXIT_DECK_ERROR)
    sys.exit(EXIT_OK)


@main.command()
@click.option("--no-sync", is_flag=True, help="Show the store as it is, without reading the decks.")
@click.pass_obj
@handles_errors
def decks(session: Session, no_sync: bool) -> None:
    """List decks with new / learning / due counts, like Anki's deck list."""
    from rich.console import Console
    from rich.table import Table

    service = session.service()
    if not no_sync:
        service.sync()
    table = Table(box=None, header_style="bold")
    table.add_column("Deck")
    for name, style in (("New", "blue"), ("Learn", "red"), ("Due", "green"), ("Cards", "dim")):
        table.add_column(name, justify="right", style=style)
    for row in service.deck_counts():
        depth = row.name.count("::")
        table.add_row("  " * depth + row.name.split("::")[-1], str(row.new), str(row.learning), str(row.due), str(row.total))
    Console().print(table)


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


@main.command()
@click.pass_obj
@handles_errors
def backup(session: Session) -> None:
    """Write a copy of your store now (automatic copies are also taken daily and before upgrades)."""
    path = session.service().backup()
    click.echo(f"Backed up to {path}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
@handles_errors
def restore(session: Session, file: Path, yes: bool) -> None:
    """Replace your store with a backup FILE, after checking the file.

    The current store is backed up first, so a restore can itself be undone.

    \b
    Example:
      hcflash restore ~/.local/share/hcflash/backups/hcflash-20261124T080000000000Z-daily.db
    """
    from hcflash.store import Store

    problems = Store.inspect_file(file)
    if problems:
        from hcflash.errors import StoreError

        raise StoreError(f"{file}: cannot restore: {problems[0]}; the store was not changed")
    if not yes and not click.confirm(f"Replace {session.db_path} with {file}?", default=False):
        click.echo("Nothing changed.")
        return
    safety = session.service(exclusive=True).restore(file)
    click.echo(f"Restored {file}. The store as it was is saved at {safety}.")


@main.command()
@click.option("--check-only", is_flag=True, help="Report without fixing anything.")
@click.pass_obj
@handles_errors
def doctor(session: Session, check_only: bool) -> None:
    """Check the store: SQLite integrity, orphan rows, card states that disagree with the review log."""
    report = session.service(exclusive=True).doctor(fix=not check_only)
    verb = "Would fix" if check_only else "Fixed"
    for problem in report.integrity:
        click.echo(f"Integrity: {problem}")
    for kind, count in report.orphans.items():
        click.echo(f"{verb} {count} {kind}")
    if report.rebuilt_cards:
        click.echo(f"{verb} {len(report.rebuilt_cards)} card state(s) from their review log")
    if report.healthy:
        click.echo("The store is healthy.")
    if report.integrity:
        sys.exit(EXIT_ERROR)


@main.group("export")
def export_group() -> None:
    """Export cards to other apps."""


@export_group.command("anki")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .apkg file to write.")
@click.option("--deck", "decks", multiple=True, help="Only this deck and its sub-decks (repeatable).")
@click.option("--no-progress", is_flag=True, help="Content only, as new cards: for sharing a deck.")
@click.pass_obj
@handles_errors
def export_anki_command(session: Session, out: Path, decks: tuple[str, ...], no_progress: bool) -> None:
    """Write an Anki package (.apkg) that carries your progress.

    Each note's GUID comes from its hcflash id, so importing a newer export into Anki updates the
    notes in place. With progress (the default), FSRS memory states, due dates and the full review
    history go along, with the desired retention and FSRS parameters in the deck options.

    \b
    Examples:
      hcflash export anki -o hcflash.apkg
      hcflash export anki -o uscdi.apkg --deck "Healthcare Interop::USCDI" --no-progress
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    service = session.service()
    service.sync()
    with Progress(TextColumn("Exporting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("notes", total=None)
        summary = service.export_anki(
            out,
            list(decks) or None,
            with_progress=not no_progress,
            on_start=lambda total: bar.update(task, total=total),
            advance=lambda n: bar.advance(task, n),
        )
    what = "with progress" if not no_progress else "content only"
    click.echo(f"Wrote {summary.path}: {summary.notes} note(s), {summary.cards} card(s), {summary.reviews} review(s) ({what}).")


@main.group("import")
def import_group() -> None:
    """Bring reviews done in other apps back into hcflash."""


@import_group.command("anki")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@handles_errors
def import_anki_command(session: Session, package: Path) -> None:
    """Merge reviews done in Anki (an .apkg or .colpkg exported with scheduling) into your history.

    Notes are matched by the GUID hcflash gave them; reviews hcflash already has are skipped, so
    importing the same file twice changes nothing. Notes hcflash did not make are listed and skipped;
    the deck files are never changed.

    \b
    Example:
      hcflash import anki ~/Downloads/collection.colpkg
    """
    report = session.service().import_anki(package)
    click.echo(
        f"Imported {report.reviews_added} review(s) for {report.cards_updated} card(s); "
        f"{report.already_known} already known."
    )
    if report.unknown_notes:
        click.echo(f"Skipped {len(report.unknown_notes)} note(s) not made by hcflash.")
    if report.unknown_cards:
        click.echo(f"Skipped reviews of {len(report.unknown_cards)} card(s) no longer in the decks: {', '.join(report.unknown_cards[:5])}")


@main.command()
@click.pass_obj
@handles_errors
def flags(session: Session) -> None:
    """Cards learners flagged as wrong, with `path:line` and the note, ready for a pull request."""
    rows = session.service().open_flags()
    if not rows:
        click.echo("No flagged cards.")
        return
    for row in rows:
        note = f" — {row.note}" if row.note else ""
        click.echo(f"{row.file}:{row.line}: {row.key}{note}")


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
