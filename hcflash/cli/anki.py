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
@click.option(
    "--scheduling/--no-scheduling", "scheduling", default=True, show_default=True,
    help="Include scheduling information (Anki's words): FSRS memory state, due dates and review history. "
    "--no-scheduling exports content only, as new cards, for sharing a deck.",
)
@click.option("--no-progress", "no_progress", is_flag=True, hidden=True, help="Deprecated: use --no-scheduling.")
@click.pass_obj
@handles_errors
def export_anki_command(session: Session, out: Path, decks: tuple[str, ...], scheduling: bool, no_progress: bool) -> None:
    """Write an Anki package (.apkg) that carries your progress.

    Each note's GUID comes from its hcflash id, so importing a newer export into Anki updates the
    notes in place. With scheduling (the default), FSRS memory states, due dates and the full review
    history go along, with the desired retention and FSRS parameters in the deck options.

    \b
    Examples:
      hcflash export anki -o hcflash.apkg
      hcflash export anki -o uscdi.apkg --deck "Healthcare Interop::USCDI" --no-scheduling
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from hcflash.anki.library import require_anki

    if no_progress:
        click.echo("note: --no-progress is deprecated and will be removed; use --no-scheduling.", err=True)
        scheduling = False
    require_anki("export")
    service = session.service()
    service.sync()
    with Progress(TextColumn("Exporting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("notes", total=None)
        summary = service.export_anki(
            out,
            list(decks) or None,
            with_progress=scheduling,
            on_start=lambda total: bar.update(task, total=total),
            advance=lambda n: bar.advance(task, n),
        )
    what = "with scheduling" if scheduling else "content only"
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
    from hcflash.anki.library import require_anki

    require_anki("import")
    report = session.service().import_anki(package)
    click.echo(
        f"Imported {report.reviews_added} review(s) for {report.cards_updated} card(s); "
        f"{report.already_known} already known."
    )
    if report.unknown_notes:
        click.echo(f"Skipped {len(report.unknown_notes)} note(s) not made by hcflash.")
    if report.unknown_cards:
        click.echo(f"Skipped reviews of {len(report.unknown_cards)} card(s) no longer in the decks: {', '.join(report.unknown_cards[:5])}")
