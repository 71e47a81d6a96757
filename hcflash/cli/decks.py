"""Commands about the deck files: sync, check, the deck list and flagged cards."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hcflash.cli.app import Session, handles_errors, main
from hcflash.exit_codes import EXIT_DECK_ERROR, EXIT_OK


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
def flags(session: Session) -> None:
    """Cards learners flagged as wrong, with `path:line` and the note, ready for a pull request."""
    rows = session.service().open_flags()
    if not rows:
        click.echo("No flagged cards.")
        return
    for row in rows:
        note = f" — {row.note}" if row.note else ""
        click.echo(f"{row.file}:{row.line}: {row.key}{note}")
