"""Commands that keep the store safe: backup, restore, doctor."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hcflash.cli.app import Session, handles_errors, main
from hcflash.exit_codes import EXIT_ERROR


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
    from hcflash.errors import StoreError
    from hcflash.maintenance import restore_store
    from hcflash.store import Store
    from hcflash.timeutil import utcnow

    problems = Store.inspect_file(file)
    if problems:
        raise StoreError(f"{file}: cannot restore: {problems[0]}; the store was not changed")
    if not yes and not click.confirm(f"Replace {session.db_path} with {file}?", default=False):
        click.echo("Nothing changed.")
        return
    # The store is not opened through the session: it may be damaged, and restoring is the cure.
    from hcflash.locations import default_data_dir

    outcome = restore_store(session.db_path, file, utcnow(), create_folder=session.db_path.parent.resolve() == default_data_dir().resolve())
    if outcome.saved is not None:
        click.echo(f"Restored {file}. The store as it was is saved at {outcome.saved}.")
    elif outcome.damaged_aside is not None:
        click.echo(f"Restored {file}. The damaged store is kept at {outcome.damaged_aside}.")
    else:
        click.echo(f"Restored {file}.")

@main.command()
@click.option("--check-only", is_flag=True, help="Report without fixing anything.")
@click.pass_obj
@handles_errors
def doctor(session: Session, check_only: bool) -> None:
    """Check the store: SQLite integrity, orphan rows, card states that disagree with the review log."""
    # No checks on the way in: a damaged store is what the doctor is for.
    report = session.service(checks=False).doctor(fix=not check_only)
    verb = "Would fix" if check_only else "Fixed"
    for problem in report.integrity:
        click.echo(f"Integrity: {problem}")
    if report.advice:
        click.echo(report.advice)
    for kind, count in report.orphans.items():
        click.echo(f"{verb} {count} {kind}")
    if report.rebuilt_cards:
        click.echo(f"{verb} {len(report.rebuilt_cards)} card state(s) from their review log")
    if report.healthy:
        click.echo("The store is healthy.")
    if report.integrity:
        sys.exit(EXIT_ERROR)
