"""Anki export and import."""

from __future__ import annotations

from pathlib import Path

import click

from hcflash.cli.app import Session, handles_errors, main


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
