"""Commands about the deck files: sync, check, the deck list and flagged cards."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hcflash.cli.app import Session, handles_errors, main
from hcflash.exit_codes import EXIT_DECK_ERROR, EXIT_OK
from hcflash.issue_codes import DeckIssue
from hcflash.text_safety import plain_text


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
        click.echo(plain_text(str(warning)), err=True)
    click.echo(f"Synced: {report.summary()} ({report.files_parsed} file(s) read, {report.files_skipped} unchanged)")

@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--fix", is_flag=True, help="Write ids for cards that lack them; change nothing else.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--max-age", "max_age", type=click.IntRange(1, 240), default=12, show_default=True, metavar="MONTHS",
    help="Warn (HC160) on cards whose Verified: date is older than this.",
)
@click.option("--stale", is_flag=True, help="List the cards to verify again (undated, too old, older spec version), oldest first.")
@click.option(
    "--format", "fmt", type=click.Choice(["human", "github"]), default="human", show_default=True,
    help="github prints Actions annotations.",
)
@click.pass_obj
@handles_errors
def check(session: Session, paths: tuple[Path, ...], fix: bool, strict: bool, max_age: int, stale: bool, fmt: str) -> None:
    """Validate deck files (default: --decks, else $HCFLASH_DECKS, else the bundled decks).

    Exits 2 on errors (or on warnings with --strict).

    \b
    Examples:
      hcflash check decks/
      hcflash check --fix decks/healthcare-interop/uscdi.md
      hcflash check --strict --format github decks/
    """
    from hcflash.check import check_paths, fix_paths, ids_in
    from hcflash.locations import bundled_decks_dir, env_deck_dirs
    from hcflash.store import Store

    # The store is never opened for writing, nor created: checking files must not touch a learner's store.
    configured = list(session.deck_dirs) or list(env_deck_dirs()) or [bundled_decks_dir()]
    targets = list(paths) or configured
    if fix:
        # New ids avoid every id of the deck folders and every id the store has ever held (read-only):
        # a retired card's id on a new fact would hand it the old card's history.
        folders = {p if p.is_dir() else p.parent for p in targets} | set(configured)
        held = Store.known_note_ids(session.db_path)
        if held is None:
            click.echo(f"note: {plain_text(str(session.db_path))} could not be read (in use?); new ids avoid the deck files' ids only", err=True)
        avoid = ids_in(sorted(folders)) | (held or set())
        for path, ids in fix_paths(targets, avoid).items():
            where = plain_text(str(path))
            click.echo(f"{where}: added {len(ids)} id(s): {', '.join(ids)}" if ids else f"{where}: added the final newline")
    result = check_paths(targets, max_age_months=max_age)
    if stale:
        from datetime import date

        from hcflash.check import stale_cards

        today = date.today()
        work = stale_cards(result, today, max_age)
        for card in work:
            click.echo(plain_text(f"{card.path}:{card.line}: {card.id}: {card.describe(today)}"))
        click.echo(f"{len(work)} card(s) to verify again against their sources (older than {max_age} months, undated, or an old version).")
        sys.exit(EXIT_OK)
    summary = (
        f"{len(result.files)} file(s), {result.notes} note(s), {result.cards} card(s): "
        f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)"
    )
    if fmt == "github":
        for issue in result.issues:
            click.echo(github_annotation(issue))
        click.echo(summary, err=True)
    else:
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False)
        for issue in result.issues:
            color = "red" if issue.severity == "error" else "yellow"
            console.print(
                Text.assemble(
                    (plain_text(issue.where) + ":", "bold"), " ", (f"{issue.severity} {issue.code}", color), f": {plain_text(issue.message)}"
                ),
                soft_wrap=True,
            )
        console.print(Text(summary, style="bold red" if result.errors else "bold green"))
    if result.errors or (strict and result.warnings):
        sys.exit(EXIT_DECK_ERROR)
    sys.exit(EXIT_OK)


def _escape_data(text: str) -> str:
    """GitHub workflow-command data: `%`, CR and LF are escaped, so a value cannot end the command."""
    return plain_text(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow-command property (file, title) also escapes `:` and `,`, which separate properties."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(issue: DeckIssue) -> str:
    """One `::error file=...,line=...,title=...::message` line that a file name cannot forge or split."""
    return (
        f"::{issue.severity} file={_escape_property(issue.shown_path)},line={issue.line},title={_escape_property(issue.code)}"
        f"::{_escape_data(issue.message)}"
    )


@main.group(invoke_without_command=True)
@click.option("--no-sync", is_flag=True, help="Show the store as it is, without reading the decks.")
@click.pass_context
@handles_errors
def decks(ctx: click.Context, no_sync: bool) -> None:
    """List decks with new / learning / due counts, like Anki's deck list.

    \b
    Examples:
      hcflash decks
      hcflash decks copy ~/src/hcflash/decks     a copy of the bundled decks you can edit
    """
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from hcflash.deck_list import tree_label

    session: Session = ctx.obj
    service = session.service()
    if not no_sync:
        service.sync()
    table = Table(box=None, header_style="bold")
    table.add_column("Deck")
    for name, style in (("New", "blue"), ("Learn", "red"), ("Due", "green"), ("Cards", "dim")):
        table.add_column(name, justify="right", style=style)
    for row in service.deck_counts():
        # Text, not a str: a deck name is shown as written, never read as Rich markup.
        table.add_row(Text(tree_label(row.name)), str(row.new), str(row.learning), str(row.due), str(row.total))
    Console().print(table)
    facts = service.fact_changes_waiting()
    if facts:
        click.echo(f"{facts} card(s) changed as facts since you studied them: `hcflash changes` says why.")


@decks.command("copy")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
@handles_errors
def decks_copy(session: Session, folder: Path) -> None:
    """Copy the bundled decks to FOLDER and study from there, history kept.

    The bundled decks live inside the installed package, where an edit is lost on the next upgrade
    and can never become a pull request. Copy them to a folder of yours (a fork's checkout of the
    hcflash repository, say): hcflash then reads its decks from there, `e` in review opens that
    copy, and `hcflash flags --markdown` points at its lines.
    """
    service = session.service()
    copied, report = service.syncer.copy_bundled(folder)
    click.echo(f"Copied {copied} deck file(s) to {folder.expanduser().resolve()}; {report.moved} card(s) now read from there, "
               "every one with its history.")
    click.echo("hcflash reads its decks from that folder from now on (`hcflash config deck-dirs` shows it).")

@main.command()
@click.option("--markdown", is_flag=True, help="Print an issue or pull-request body for each flagged card.")
@click.pass_obj
@handles_errors
def flags(session: Session, markdown: bool) -> None:
    """Cards learners flagged as wrong, with `path:line` and the note, ready for a pull request.

    \b
    Examples:
      hcflash flags
      hcflash flags --markdown > flagged.md
    """
    rows = session.service().open_flags()
    if not rows:
        click.echo("No flagged cards.")
        return
    for row in rows:
        if not markdown:
            note = f" — {row.note}" if row.note else ""
            click.echo(plain_text(f"{row.file}:{row.line}: {row.key}{note}"))
            continue
        click.echo(plain_text("\n".join([
            f"### Card `{row.key}` looks wrong",
            "",
            f"- **Where:** `{_relative(row.file)}:{row.line}` ({row.deck})",
            f"- **Question:** {row.question}",
            *[f"- **Source:** {source}" for source in row.sources],
            f"- **What looks wrong:** {row.note or '(no note)'}",
            "",
            "Checked against the source above: (say what the source says, with its section)",
            "",
        ])))


def _relative(path: str) -> str:
    """A deck file's path as a pull request shows it: from the `decks/` folder down, when it is there."""
    parts = Path(path).parts
    return str(Path(*parts[parts.index("decks"):])) if "decks" in parts else path
