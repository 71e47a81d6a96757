"""The store's schema, versioned with sqlite-utils' Migrations: each change is a new function, never an edit.

The steps are plain functions listed in `STEPS`; sqlite-utils (which brings click, dateutil and
pluggy) is imported only when a store has a step to apply. Opening an up-to-date store compares
the step names with `applied_steps` and never loads it: that is ~50 ms before the first card.
"""

from __future__ import annotations

import sqlite3
from functools import cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "hcflash"


def m001_initial(db: Database) -> None:
    db.execute(
        """CREATE TABLE decks (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE deck_files (
            path TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            synced_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            note_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('basic', 'reverse', 'cloze')),
            ord INTEGER NOT NULL DEFAULT 0,
            deck_id INTEGER NOT NULL REFERENCES decks(id),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            sources TEXT NOT NULL,
            tags TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            content_changed_at TEXT,
            retired_at TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_cards_deck ON cards(deck_id)")
    db.execute("CREATE INDEX idx_cards_order ON cards(file, line, ord)")
    db.execute(
        """CREATE TABLE card_state (
            card_id INTEGER PRIMARY KEY REFERENCES cards(id),
            state TEXT NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT,
            leech INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX idx_state_due ON card_state(state, due)")
    db.execute(
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_at TEXT NOT NULL,
            duration_ms INTEGER,
            state_before TEXT NOT NULL,
            state_after TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'hcflash'
        )"""
    )
    db.execute("CREATE INDEX idx_log_card ON review_log(card_id, reviewed_at)")
    db.execute("CREATE INDEX idx_log_time ON review_log(reviewed_at)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def m002_search_and_flags(db: Database) -> None:
    # Full-text search for the browser, kept current by triggers on every card write.
    db["cards"].enable_fts(["question", "answer", "sources", "tags"], create_triggers=True, tokenize="porter")
    db.execute(
        """CREATE TABLE card_flags (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            resolved_at TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_flags_card ON card_flags(card_id)")


def m003_previous_content(db: Database) -> None:
    # What a card said before its last material edit, so the next review can show what changed.
    db.execute("ALTER TABLE cards ADD COLUMN previous_question TEXT")
    db.execute("ALTER TABLE cards ADD COLUMN previous_answer TEXT")


def m004_rendered_html(db: Database) -> None:
    # Anki fields rendered from card Markdown, by content: rendering is the slow part of an export.
    db.execute("CREATE TABLE card_html (content_key TEXT PRIMARY KEY, fields TEXT NOT NULL)")


def m005_new_card_order_and_siblings(db: Database) -> None:
    # Anki's new-card sort "card type, then order gathered": every note's first card before any
    # second card. `sibling_rank` is the card type number (basic 0, reverse 1, cloze n → n-1); new
    # cards are gathered by (rank, card id) through an index, so no sort of every new card is needed.
    db.execute("ALTER TABLE card_state ADD COLUMN sibling_rank INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE card_state SET sibling_rank = (SELECT CASE c.kind WHEN 'reverse' THEN 1 "
        "WHEN 'cloze' THEN c.ord - 1 ELSE 0 END FROM cards c WHERE c.id = card_state.card_id)"
    )
    db.execute("CREATE INDEX idx_state_new_order ON card_state(state, sibling_rank, card_id)")
    # Siblings (cards of one note) are looked up on every rating, to bury them until tomorrow.
    db.execute("CREATE INDEX idx_cards_note ON cards(note_id)")


def m006_provenance_and_changes(db: Database) -> None:
    # What each card says of its own provenance (Verified:, Spec:, Valid-from/until:, Change:), why a
    # retired card left (removed from the decks, or its validity window closed), and a log of what
    # each sync changed, for `hcflash changes` and the deck list's count of fact changes.
    for column, kind in (
        ("verified", "TEXT"), ("specs", "TEXT NOT NULL DEFAULT '[]'"), ("valid_from", "TEXT"), ("valid_until", "TEXT"),
        ("change_kind", "TEXT"), ("change_on", "TEXT"), ("change_reason", "TEXT"), ("retire_reason", "TEXT"),
    ):
        db.execute(f"ALTER TABLE cards ADD COLUMN {column} {kind}")
    db.execute("UPDATE cards SET retire_reason = 'removed' WHERE retired_at IS NOT NULL")
    db.execute(
        """CREATE TABLE deck_changes (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            kind TEXT NOT NULL CHECK (kind IN ('added', 'fact', 'wording', 'edit', 'retired', 'expired', 'revived')),
            reason TEXT NOT NULL DEFAULT '',
            changed_on TEXT,
            synced_at TEXT NOT NULL,
            previous_question TEXT,
            previous_answer TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_deck_changes_time ON deck_changes(synced_at)")
    db.execute("CREATE INDEX idx_cards_valid_until ON cards(valid_until) WHERE valid_until IS NOT NULL")


def m007_lighter_rating_writes(db: Database) -> None:
    # A rating rewrites the card's state row and every index that covers it, and each page so
    # written goes to the WAL before the commit's fsync. The new-card order index only serves new
    # cards: made partial, it is left untouched when a learning or review card is rated.
    db.execute("DROP INDEX idx_state_new_order")
    db.execute("CREATE INDEX idx_state_new_order ON card_state(sibling_rank, card_id) WHERE state = 'new'")


def m008_anki_sync(db: Database) -> None:
    # Two-way sync with a learner's Anki collection (`hcflash anki sync`). Each collection is named by
    # the id hcflash keeps in its config, so a copy synced through AnkiWeb is still recognized.
    db.execute(
        """CREATE TABLE anki_collections (
            id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            synced_at TEXT NOT NULL,
            decks TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    # Which hcflash review is which revlog row of that collection (a revlog id is its epoch-ms
    # time), and when it was synced: each review crosses once, in either direction.
    db.execute(
        """CREATE TABLE anki_review_links (
            collection_id TEXT NOT NULL REFERENCES anki_collections(id),
            review_id INTEGER NOT NULL REFERENCES review_log(id) ON DELETE CASCADE,
            revlog_id INTEGER NOT NULL,
            synced_at TEXT NOT NULL,
            PRIMARY KEY (collection_id, review_id),
            UNIQUE (collection_id, revlog_id)
        )"""
    )
    # What hcflash last set on each note there: its deck and tags (so the learner's own moves and tags
    # are told apart from hcflash's) and whether hcflash retired it (tagged and suspended).
    db.execute(
        """CREATE TABLE anki_note_links (
            collection_id TEXT NOT NULL REFERENCES anki_collections(id),
            note_id TEXT NOT NULL,
            deck TEXT NOT NULL,
            tags TEXT NOT NULL,
            retired INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (collection_id, note_id)
        )"""
    )


def m009_live_count_and_prefix_search(db: Database) -> None:
    # Every sync reports how many live cards the store holds, the one with nothing edited (each
    # session's start) too: counted from this index, not from a scan of every card's row and text.
    db.execute("CREATE INDEX idx_cards_live ON cards(id) WHERE retired_at IS NULL")
    # The browser searches as the learner types, so most queries are the prefix of a word (`"con"*`).
    # Without prefix indexes FTS5 gathers the rows of every term with that prefix: 2 ms a keystroke
    # at 100,000 cards, however long the prefix. With indexes of 2- and 3-letter prefixes those are
    # one lookup (0.1 ms). Each indexed length costs every card insert: 1 to 4 letters made the
    # first sync of 10,000 cards 21% slower, 2 and 3 letters 9%. Same columns, tokenizer and
    # content table as m002's; the triggers that keep it current name it, not its options.
    db.execute("DROP TABLE cards_fts")
    db.execute(
        "CREATE VIRTUAL TABLE cards_fts USING FTS5(question, answer, sources, tags, "
        "tokenize='porter', content='cards', prefix='2 3')"
    )
    db.execute("INSERT INTO cards_fts(cards_fts) VALUES ('rebuild')")


STEPS = (
    m001_initial,
    m002_search_and_flags,
    m003_previous_content,
    m004_rendered_html,
    m005_new_card_order_and_siblings,
    m006_provenance_and_changes,
    m007_lighter_rating_writes,
    m008_anki_sync,
    m009_live_count_and_prefix_search,
)
STEP_NAMES = tuple(step.__name__ for step in STEPS)


@cache
def migrations() -> Migrations:
    """sqlite-utils' migration set holding `STEPS` in order (it applies them and records each)."""
    from sqlite_utils.migrations import Migrations

    steps = Migrations(MIGRATION_SET)
    for step in STEPS:
        steps()(step)
    return steps


def applied_steps(conn: sqlite3.Connection) -> list[str]:
    """The steps this store has had, in order, read without sqlite-utils; empty for a new store."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone():
        return []
    return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])]


def unknown_steps(applied: list[str]) -> list[str]:
    """Steps a store has that this version does not know: it was written by a newer hcflash."""
    return sorted(set(applied) - set(STEP_NAMES))


def apply_steps(conn: sqlite3.Connection) -> None:
    """Bring the store on `conn` to the current schema (each step in its own transaction)."""
    from sqlite_utils import Database

    # No plugins: a learner's store has no use for whatever sqlite-utils plugins are installed.
    migrations().apply(Database(conn, execute_plugins=False))
