"""`hcflash changes`: what the decks' maintainers changed, and why, since the learner's last sync."""

from __future__ import annotations

from datetime import datetime

import click

from hcflash.cli.app import Session, handles_errors, main

SECTIONS = (
    ("fact", "Facts that changed (these cards come back for relearning)"),
    ("added", "New cards"),
    ("retired", "Cards retired (removed from the decks; their history is kept)"),
    ("expired", "Cards whose time ran out (their validity window closed; history kept)"),
    ("revived", "Cards back in the decks"),
    ("wording", "Wording fixes (schedules kept)"),
    ("edit", "Other edits (shown at the card's next review)"),
)


@main.command()
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Every change synced since this day (YYYY-MM-DD).")
@click.pass_obj
@handles_errors
def changes(session: Session, since: datetime | None) -> None:
    """What changed in the decks: by default what the latest sync brought, grouped as fact changes
    (with their reasons and sources), new, retired and expired cards, and wording fixes.

    \b
    Examples:
      hcflash changes
      hcflash changes --since 2026-11-01
    """
    from hcflash.text_safety import plain_text

    service = session.service()
    service.sync()
    start = since.astimezone() if since is not None else None
    found = service.changes(start)
    if not found:
        click.echo("No changes to the decks" + (f" since {since:%Y-%m-%d}." if since else " yet."))
        return
    when = f"since {since:%Y-%m-%d}" if since else f"in the latest sync ({found[0].synced_at.astimezone():%Y-%m-%d %H:%M})"
    click.echo(f"{len(found)} change(s) {when}:")
    for kind, title in SECTIONS:
        group = [c for c in found if c.kind == kind]
        if not group:
            continue
        click.echo(f"\n{title}: {len(group)}")
        for change in group[:200]:
            line = f"  {change.key}  {change.question[:70]}"
            if change.reason:
                line += f"\n    why: {change.reason}" + (f" ({change.changed_on})" if change.changed_on else "")
            if kind == "fact":
                if change.previous_answer is not None:
                    line += f"\n    was: {change.previous_answer.strip()[:160]}"
                line += f"\n    now: {change.answer.strip()[:160]}"
                line += "".join(f"\n    source: {source}" for source in change.sources)
            click.echo(plain_text(line))
        if len(group) > 200:
            click.echo(f"  … and {len(group) - 200} more")
