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
    from hcflash.store import Store

    problems = Store.inspect_file(file)
    if problems:
        from hcflash.errors import StoreError

        raise StoreError(f"{file}: cannot restore: {problems[0]}; the store was not changed")
    if not yes and not click.confirm(f"Replace {session.db_path} with {file}?", default=False):
        click.echo("Nothing changed.")
        return
    safety = session.service().restore(file)
    click.echo(f"Restored {file}. The store as it was is saved at {safety}.")

@main.command()
@click.option("--check-only", is_flag=True, help="Report without fixing anything.")
@click.pass_obj
@handles_errors
def doctor(session: Session, check_only: bool) -> None:
    """Check the store: SQLite integrity, orphan rows, card states that disagree with the review log."""
    report = session.service().doctor(fix=not check_only)
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
