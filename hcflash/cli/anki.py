"""Anki export, import and two-way sync."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from hcflash.cli.app import Session, handles_errors, main

if TYPE_CHECKING:
    from hcflash.records import AnkiSyncReport


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


@main.group("anki")
def anki_group() -> None:
    """Keep your own Anki collection in step with hcflash."""


@anki_group.command("sync")
@click.option("--collection", type=click.Path(dir_okay=False, path_type=Path), help="The collection.anki2 file to sync with.")
@click.option("--profile", help="The Anki profile whose collection to sync with (default: the only one).")
@click.option("--dry-run", is_flag=True, help="Say what would change on each side; change nothing.")
@click.pass_obj
@handles_errors
def anki_sync_command(session: Session, collection: Path | None, profile: str | None, dry_run: bool) -> None:
    """Sync with your Anki collection, both ways. Close Anki first.

    New cards are added to Anki and changed ones updated in place; cards removed from the decks are
    tagged hcflash::retired and suspended, never deleted. Reviews done on either side reach the other,
    each once, and every card keeps the due date the side you reviewed it on last gave it. Your own
    notes, decks and note-type styling in Anki are left alone. Anki's own backup of the collection is
    taken before anything is written. AnkiWeb then carries it all to AnkiDroid or AnkiMobile.

    \b
    Examples:
      hcflash anki sync                       the only profile in Anki's folder
      hcflash anki sync --profile "User 1"
      hcflash anki sync --collection ~/anki/collection.anki2 --dry-run
    """
    from hcflash.anki.collection import find_collection

    path = find_collection(collection, profile)
    service = session.service()
    service.sync()
    report = service.anki_sync(path, dry_run=dry_run)
    for line in sync_report_lines(report):
        click.echo(line)


def sync_report_lines(report: AnkiSyncReport) -> list[str]:
    """What a sync did, in a few lines (what it would do, with --dry-run)."""
    verb = "Would sync" if report.dry_run else "Synced"
    if report.nothing_to_do:
        lines = [f"{report.collection}: already in step, nothing to change."]
    else:
        lines = [f"{verb} with {report.collection}" + (f" (Anki backup: {report.backup})" if report.backup else "")]
        lines.append(
            f"Notes: {report.notes_added} added, {report.notes_updated} updated, {report.notes_retired} retired, "
            f"{report.notes_revived} revived; {report.cards_moved} card(s) moved to their deck, {report.cards_suspended} suspended"
        )
        lines.append(
            f"Reviews: {report.reviews_to_anki} sent to Anki, {report.reviews_from_anki} brought into hcflash"
            + (f", {report.reviews_paired} found on both sides" if report.reviews_paired else "")
            + f"; {report.cards_rescheduled_in_anki} card(s) rescheduled in Anki, {report.cards_updated_in_hcflash} in hcflash"
        )
        if report.notetypes_changed:
            lines.append(f"Note types added or updated: {', '.join(report.notetypes_changed)}")
        if report.descriptions:
            lines.append(f"Deck descriptions written: {report.descriptions}")
    if report.reviews_of_retired:
        lines.append(f"{report.reviews_of_retired} review(s) were of cards no longer in the decks; their history keeps them.")
    if report.unknown_cards:
        lines.append(f"Skipped reviews of {len(report.unknown_cards)} card(s) hcflash does not know: {', '.join(report.unknown_cards[:5])}")
    lines.extend(f"Left alone: {text}" for text in report.skipped)
    lines.extend(f"warning: {text}" for text in report.warnings)
    return lines
