"""Finding, opening and backing up the learner's own Anki collection.

By default the collection is found in Anki's profile folder (`ANKI_BASE` if set, as Anki itself reads
it; else `~/.local/share/Anki2` on Linux, `~/Library/Application Support/Anki2` on macOS,
`%APPDATA%\\Anki2` on Windows), one profile per sub-folder holding a `collection.anki2`.

Anki holds its collection with an exclusive SQLite lock while it is open, and opens it with a zero
busy timeout, so opening it with the `anki` library fails at once, before anything is written, when
Anki (or AnkiConnect, or a media sync) has it: that is how an open collection is detected.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

from hcflash.anki.library import require_anki
from hcflash.errors import AnkiError

ANKI_BASE_ENV = "ANKI_BASE"
COLLECTION_FILE = "collection.anki2"


def anki_base() -> Path:
    """Anki's own data folder, where each profile is a sub-folder."""
    override = os.environ.get(ANKI_BASE_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("Anki2", appauthor=False, roaming=True))


def profiles(base: Path) -> list[str]:
    """Profile names: the sub-folders of `base` that hold a collection."""
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / COLLECTION_FILE).is_file())


def find_collection(collection: Path | None = None, profile: str | None = None, base: Path | None = None) -> Path:
    """The collection file to sync with: `collection` as given, else the profile's, else the only one."""
    if collection is not None and profile is not None:
        raise AnkiError("give --collection or --profile, not both")
    if collection is not None:
        if not collection.is_file():
            raise AnkiError(f"{collection}: no such Anki collection file")
        return collection
    base = base or anki_base()
    names = profiles(base)
    if profile is not None:
        if profile not in names:
            known = f"profiles there: {', '.join(names)}" if names else "it holds no profile"
            raise AnkiError(f"no Anki profile {profile!r} in {base} ({known})")
        return base / profile / COLLECTION_FILE
    if not names:
        raise AnkiError(f"no Anki profile found in {base}; name the collection with --collection PATH")
    if len(names) > 1:
        raise AnkiError(f"Anki has {len(names)} profiles in {base}: {', '.join(names)}; choose one with --profile NAME")
    return base / names[0] / COLLECTION_FILE


@contextmanager
def opened(path: Path) -> Iterator[Any]:
    """The collection opened with the `anki` library, closed on the way out (whatever happens)."""
    require_anki("sync")
    from anki.collection import Collection
    from anki.errors import DBError

    if not path.is_file():  # the library would make a new, empty collection there
        raise AnkiError(f"{path}: no such Anki collection file")
    try:
        col = Collection(str(path))
    except DBError as exc:
        text = str(exc)
        if "already open" in text or "locked" in text:
            raise AnkiError(
                f"{path}: Anki has this collection open; close Anki (or switch it to another profile) "
                "and run the sync again. Nothing was changed."
            ) from exc
        raise AnkiError(f"{path}: Anki cannot open this collection ({text}); nothing was changed") from exc
    except Exception as exc:  # the backend raises its own types for damaged or foreign files
        raise AnkiError(f"{path}: not a usable Anki collection ({exc}); nothing was changed") from exc
    try:
        yield col
    finally:
        col.close()


def backup(col: Any, path: Path) -> Path | None:
    """Anki's own backup (a `.colpkg` in the profile's `backups` folder, pruned by Anki's rules),
    taken before hcflash writes anything; returns the file, or None if Anki found nothing to back up."""
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    before = set(folder.glob("*.colpkg"))
    try:
        col.create_backup(backup_folder=str(folder), force=True, wait_for_completion=True)
    except Exception as exc:
        raise AnkiError(f"{path}: Anki could not back up the collection ({exc}); nothing was changed") from exc
    made = sorted(set(folder.glob("*.colpkg")) - before, key=lambda p: p.stat().st_mtime)
    if made:
        return made[-1]
    existing = sorted(folder.glob("*.colpkg"), key=lambda p: p.stat().st_mtime)
    return existing[-1] if existing else None
