"""The `hcflash` command group and what every command shares: the session (store and deck folders,
opened lazily) and the one place user mistakes become a clear line and a non-zero exit."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from hcflash.bulk import release_after_start
from hcflash.errors import DeckError, HcflashError
from hcflash.exit_codes import EXIT_DECK_ERROR, EXIT_ERROR
from hcflash.locations import default_db_path
from hcflash.text_safety import plain_text

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# Each command's module: a command's module is imported when the command is asked for, so that
# `hcflash review` loads the study commands and not the Anki, deck, settings and safety ones.
COMMAND_MODULES = {
    "anki": "hcflash.cli.anki", "export": "hcflash.cli.anki", "import": "hcflash.cli.anki",
    "backup": "hcflash.cli.safety", "doctor": "hcflash.cli.safety", "restore": "hcflash.cli.safety",
    "changes": "hcflash.cli.changes",
    "check": "hcflash.cli.decks", "decks": "hcflash.cli.decks", "flags": "hcflash.cli.decks", "sync": "hcflash.cli.decks",
    "config": "hcflash.cli.settings", "optimize": "hcflash.cli.settings", "preset": "hcflash.cli.settings",
    "simulate": "hcflash.cli.settings",
    "review": "hcflash.cli.study", "stats": "hcflash.cli.study", "status": "hcflash.cli.study",
}


class CommandGroup(click.Group):
    """The `hcflash` group, its commands loaded by name from `COMMAND_MODULES` (click's pattern for
    lazily loaded subcommands): the modules register their commands on `main` as they are imported."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            from importlib import import_module

            # An unknown name loads every module, so that click can suggest the closest command.
            module = COMMAND_MODULES.get(cmd_name)
            for name in [module] if module else sorted(set(COMMAND_MODULES.values())):
                import_module(name)
        return super().get_command(ctx, cmd_name)


class Session:
    """What the commands share: where the store is and which deck folders to use, opened lazily."""

    def __init__(self, db: Path | None, decks: tuple[Path, ...]) -> None:
        self.db_path = db or default_db_path()
        self.deck_dirs = decks
        self._service: Any = None

    def service(self, *, checks: bool = True, repairing_settings: bool = False, interactive: bool = False) -> Any:
        """The StudyService over the store, opened on first use.

        Before any command writes: stored settings must be valid (except for `config`, which
        repairs them), the store must pass SQLite's quick check, the day's backup is taken (and
        checked), and reviews dated in the future by a clock that ran ahead are brought back to
        now, with a notice. `checks` False skips all of it, for the doctor. `interactive` (the
        TUI): the quick check runs beside the session, once its first card is on screen, and the
        first write waits for it, so the learner does not wait for it to see the first card."""
        if self._service is None:
            from hcflash.errors import ConfigError
            from hcflash.locations import default_data_dir
            from hcflash.service import StudyService
            from hcflash.store import Store

            create_folder = self.db_path.parent.resolve() == default_data_dir().resolve()
            store = Store.open(self.db_path, create_folder=create_folder)
            self._service = StudyService(store, self.deck_dirs or None)
            if checks:
                problems = self._service.settings_problems()
                if problems and not repairing_settings:
                    raise ConfigError(problems[0])
                self._service.maintenance.ensure_sound(beside=interactive)
                self._service.daily_backup()
                moved = self._service.maintenance.clamp_future_reviews()
                if moved:
                    click.echo(
                        f"note: {moved} review(s) were dated in the future (the clock was ahead?); they now count as "
                        "given now, and their cards are scheduled from now with the same intervals.",
                        err=True,
                    )
        return self._service

    def close(self) -> None:
        if self._service is not None:
            self._service.store.close()


def _report_deck_error(exc: DeckError) -> None:
    for issue in exc.issues:
        click.echo(plain_text(str(issue)), err=True)
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
            click.echo(f"error: {plain_text(str(exc))}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


@click.group(cls=CommandGroup, invoke_without_command=True, context_settings=CONTEXT_SETTINGS)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="Store file (default: $HCFLASH_DB, else the user data folder).")
@click.option(
    "--decks", "decks", multiple=True, type=click.Path(path_type=Path),
    help="Deck folder to use instead of the bundled decks (repeatable).",
)
@click.version_option(package_name="hcflash")
@click.pass_context
def main(ctx: click.Context, db: Path | None, decks: tuple[Path, ...]) -> None:
    """Spaced-repetition flashcards for US healthcare interoperability.

    With no command, syncs the decks and opens the deck list (new / learning / due per deck);
    `hcflash review` goes straight to today's first card.

    \b
    Examples:
      hcflash                     the deck list; Enter studies a deck, a studies all
      hcflash review              today's review of every deck
      hcflash review "Healthcare Interop::USCDI"
      hcflash --decks ./decks check --fix
      hcflash status
    """
    session = Session(db, decks)
    ctx.obj = session
    ctx.call_on_close(session.close)
    if ctx.invoked_subcommand not in (None, "review"):  # the review turns it on once its first screen is up
        release_after_start()
    if ctx.invoked_subcommand is None:
        from hcflash.cli.study import review

        ctx.invoke(review, deck=None, plain=False, home=True)
