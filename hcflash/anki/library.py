"""The official `anki` library is an optional extra: this says so plainly when it is missing."""

from __future__ import annotations

from hcflash.errors import AnkiError


def require_anki(what: str) -> None:
    """Raise a clear AnkiError (not an ImportError traceback) when the `anki` library is absent."""
    try:
        import anki  # noqa: F401
        import nh3  # noqa: F401
    except ImportError as exc:
        raise AnkiError(f"Anki {what} needs the anki package: pip install 'hcflash[anki]'") from exc
