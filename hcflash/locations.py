"""Where hcflash keeps things: the store file and the deck folders, named once."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "hcflash"
DB_ENV = "HCFLASH_DB"
DECKS_ENV = "HCFLASH_DECKS"


def default_data_dir() -> Path:
    """The platform's user data folder for hcflash (created on first use; other folders are not)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """`HCFLASH_DB` if set, else `hcflash.db` in the platform's user data folder."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    return default_data_dir() / "hcflash.db"


def bundled_decks_dir() -> Path:
    """The decks shipped with hcflash: inside the wheel, or `decks/` of a source checkout."""
    packaged = Path(__file__).parent / "decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "decks"


def env_deck_dirs() -> tuple[Path, ...]:
    value = os.environ.get(DECKS_ENV, "")
    return tuple(Path(p).expanduser() for p in value.split(os.pathsep) if p.strip())


def deck_files(root: Path) -> list[Path]:
    """Markdown deck files below a folder, in a stable order; READMEs and _/. names are not decks."""
    if root.is_file():
        return [root]
    found = []
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if path.name.upper() in ("README.MD", "CONTRIBUTING.MD"):
            continue
        if path.is_file():
            found.append(path)
    return found
