"""`python -m benchmarks [--quick]`: hcflash against its baselines, as ratios measured in one run.

The machines this runs on are shared and noisy, so no absolute time is a target: each measurement
is compared with a baseline measured in the same run, several times, and the medians are compared.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

import hcflash
from benchmarks.data import build_store, write_decks
from hcflash.locations import deck_files
from hcflash.service import StudyService
from hcflash.store import Store


@dataclass
class Row:
    measurement: str
    size: str
    ours: float
    baseline: float
    target: str
    unit: str = "ms"
    check: Callable[[float], bool] = lambda ratio: True

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def ok(self) -> bool:
        return self.check(self.ratio)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


# -- sync ------------------------------------------------------------------------------------

def baseline_parse_and_insert(decks: Path, db_path: Path) -> None:
    """The floor: markdown-it parses the same files and sqlite3 inserts one row per card."""
    md = MarkdownIt("commonmark").enable("table")
    rows = []
    for path in deck_files(decks):
        text = path.read_text(encoding="utf-8")
        tokens = md.parse(text)
        for token in tokens:
            if token.type == "heading_open" and token.tag == "h2" and token.map:
                rows.append((f"{path}:{token.map[0]}", text[:80], "answer", "[]", "[]", str(path), token.map[0], "hash"))
    db_path.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE TABLE cards (id INTEGER PRIMARY KEY, key TEXT UNIQUE, question TEXT, answer TEXT, sources TEXT, "
        "tags TEXT, file TEXT, line INTEGER, content_hash TEXT)"
    )
    with conn:
        conn.executemany(
            "INSERT INTO cards(key, question, answer, sources, tags, file, line, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
    conn.close()


def full_sync(decks: Path, db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    with Store.open(db_path) as store:
        StudyService(store, [decks]).sync()


def sync_rows(size: int, repeat: int, work: Path) -> list[Row]:
    decks = work / f"sync-{size}"
    files = write_decks(decks, size)
    full = timed(lambda: full_sync(decks, work / "full.db"), repeat)
    floor = timed(lambda: baseline_parse_and_insert(decks, work / "floor.db"), repeat)
    with Store.open(work / "full.db") as store:
        service = StudyService(store, [decks])
        noop = timed(service.sync, repeat)
        target_file = files[len(files) // 2]
        original = target_file.read_text(encoding="utf-8")

        def edit_one() -> None:
            text = target_file.read_text(encoding="utf-8")
            edited = original.replace("holds under", "applies under", 1) if text == original else original
            target_file.write_text(edited, encoding="utf-8")
            report = service.sync()
            assert report.changed == 1, report

        def edit_one_unread() -> None:
            service.syncer.parses.clear()
            edit_one()

        # As the review screen's edit key runs it: the file is parsed as the editor opens, and the
        # sync once it is saved re-parses the card edited. The second row is an edit made outside
        # hcflash and met by a new process's first sync, which parses the whole file.
        service.syncer.expect_edit(target_file)
        edit = timed(edit_one, repeat)
        unread = timed(edit_one_unread, repeat)
    label = f"{size:,}"
    return [
        Row("full sync from Markdown", label, median(full), median(floor), "≤ 1.5× parse + insert", check=lambda r: r <= 1.5),
        Row("no-op sync", label, median(noop), median(full), "≤ 0.02× full sync", check=lambda r: r <= 0.02),
        Row("sync after editing one card", label, median(edit), median(full), "≤ 0.05× full sync", check=lambda r: r <= 0.05),
        Row("sync after editing one card, file not read before", label, median(unread), median(full), "reported"),
    ]


# -- the review loop -------------------------------------------------------------------------

def rate_and_next(service: StudyService, iterations: int) -> Iterator[float]:
    """hcflash's side of the review loop: one sample (ms) per rating, the next card included."""
    card = service.next_card()
    for _ in range(iterations):
        if card is None:
            return
        service.preview(card.id)  # computed at reveal time in the TUI, before the learner rates
        job = service.upkeep()  # the review screen runs it on a worker thread at the reveal
        if job is not None:
            job()
        start = time.perf_counter()
        service.rate(card.id, 3)
        card = service.next_card()
        yield (time.perf_counter() - start) * 1000


def anki_answer_and_next(col: Any, iterations: int) -> Iterator[float]:
    """Anki's side: `answer_card` and the next `getCard`, its scheduling states built beforehand
    as its reviewer builds them when it shows the answer."""
    card = col.sched.getCard()
    for _ in range(iterations):
        if card is None:
            return
        states = col._backend.get_scheduling_states(card.id)
        answer = col.sched.build_answer(card=card, states=states, rating=3)
        start = time.perf_counter()
        col.sched.answer_card(answer)
        card = col.sched.getCard()
        yield (time.perf_counter() - start) * 1000


def anki_collection(package: Path, folder: Path) -> Any:
    """A new collection in `folder` that has imported the package, scheduling and all."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True))
        )
    except BaseException:
        col.close()
        raise
    return col


def in_turns(loops: list[Iterator[float]], block: int = 25) -> list[list[float]]:
    """Every loop's samples, taken in turns of `block`: the fsync both sides pay per rating drifts
    on a shared machine (Anki's median moved between 0.26 and 0.37 ms from run to run), and one
    side timed after the other would get different minutes of it."""
    samples: list[list[float]] = [[] for _ in loops]
    live = list(range(len(loops)))
    while live:
        for index in list(live):
            taken = list(itertools.islice(loops[index], block))
            samples[index].extend(taken)
            if len(taken) < block:
                live.remove(index)
    return samples


def import_into_anki(package: Path, work: Path) -> None:
    folder = Path(tempfile.mkdtemp(dir=work))
    try:
        anki_collection(package, folder).close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def review_rows(stores: dict[int, tuple[Path, Path]], repeat: int, work: Path, iterations: int) -> list[Row]:
    rows = []
    queue_ms: dict[int, float] = {}
    for size, (decks, db) in stores.items():
        copy = work / f"review-{size}.db"
        shutil.copy(db, copy)
        with Store.open(copy) as store:  # as `hcflash review` opens it
            service = StudyService(store, [decks])
            queue_ms[size] = median(timed(service.next_card, max(repeat, 20)))
            package = work / f"bench-{size}.apkg"
            export = timed(lambda svc=service, pkg=package: svc.export_anki(pkg), repeat)
            col = anki_collection(package, Path(tempfile.mkdtemp(dir=work)))  # the same cards and histories, before either rates
            try:
                col.decks.select(col.decks.id_for_name("Bench"))
                ours, anki = in_turns([rate_and_next(service, iterations), anki_answer_and_next(col, iterations)])
            finally:
                col.close()
        imports = timed(lambda pkg=package: import_into_anki(pkg, work), repeat)
        label = f"{size:,}"
        rows.append(Row("rate + next card, committed (median)", label, median(ours), median(anki), "faster than Anki", check=lambda r: r < 1))
        rows.append(Row("rate + next card, committed (p99)", label, p99(ours), p99(anki), "faster than Anki", check=lambda r: r < 1))
        rows.append(Row("export .apkg with progress", label, median(export), median(imports), "≤ 3× Anki's import", check=lambda r: r <= 3))
    small, large = min(queue_ms), max(queue_ms)
    rows.append(
        Row("due-queue build (next card)", f"{large:,} vs {small:,}", queue_ms[large], queue_ms[small], "≤ 3× (no full scan)", check=lambda r: r <= 3)
    )
    return rows


# -- a second terminal, and browsing -------------------------------------------------------------

def reader_rows(stores: dict[int, tuple[Path, Path]], repeat: int, work: Path) -> list[Row]:
    from benchmarks.search import echo_samples, keystroke_samples
    from benchmarks.status import short_status, status_beside_a_session

    size = 10_000 if 10_000 in stores else max(stores)
    decks, db = stores[size]
    label = f"{size:,}"
    beside, alone = status_beside_a_session(db, decks, work, repeat)
    short, bare = short_status(db, max(repeat, 10))
    rows = [
        Row("status beside an open review session", label, median(beside), median(alone), "≤ 1.2× status alone (no waiting)",
            check=lambda r: r <= 1.2),
        Row("status --short, whole process", label, median(short), median(bare), "≤ 2× python -c 'import sqlite3'",
            check=lambda r: r <= 2),
    ]
    echo = median(echo_samples())
    typed: dict[int, float] = {}
    for size, (decks, db) in sorted(stores.items()):
        copy = work / f"search-{size}.db"
        shutil.copy(db, copy)
        typed[size] = median(keystroke_samples(copy, decks))
        if size >= 10_000:
            rows.append(Row("browse: keystroke to rows shown", f"{size:,}", typed[size], echo, "≤ 20× a bare Input's echo (≈30 ms)",
                            check=lambda r: r <= 20))
    if 100_000 in typed and 10_000 in typed:
        rows.append(Row("browse: keystroke to rows shown", "100,000 vs 10,000", typed[100_000], typed[10_000], "≤ 3×",
                        check=lambda r: r <= 3))
    return rows


# -- the TUI ---------------------------------------------------------------------------------

def probe(args: list[str]) -> tuple[float, int]:
    """(ms from starting the process to its first card on screen, its peak memory in KiB). The
    probe says when the card was up on the system's monotonic clock, which this process reads too:
    what the learner waits for ends there, not when the process has torn itself down."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "benchmarks.tui_probe", *args], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    return (report["shown_at"] - start) * 1000, report["maxrss_kb"]


def tui_rows(stores: dict[int, tuple[Path, Path]], repeat: int, work: Path) -> list[Row]:
    """Each start in a fresh process, the four kinds in turns (bare app, the app alone, the command,
    the Markdown floor), so that the machine's drift over the run reaches each ratio's two sides
    alike; three rounds per repeat, since one start is short and its noise is large."""
    rows = []
    start_size = 10_000 if 10_000 in stores else max(stores)
    decks, db = stores[start_size]
    copy = work / "tui.db"
    shutil.copy(db, copy)
    probe(["command", str(copy), str(decks)])  # the study day's first start takes its backup: once, untimed
    kinds = {
        "bare": ["bare"], "app": ["hcflash", str(copy), str(decks)],
        "command": ["command", str(copy), str(decks)], "floor": ["markdown"],
    }
    runs: dict[str, list[tuple[float, int]]] = {kind: [] for kind in kinds}
    for _ in range(3 * repeat):
        for kind, args in kinds.items():
            runs[kind].append(probe(args))
    bare_ms, bare_kb = median([r[0] for r in runs["bare"]]), median([r[1] for r in runs["bare"]])
    ours, command, floor = (median([r[0] for r in runs[kind]]) for kind in ("app", "command", "floor"))
    rows.append(
        Row(
            "TUI start to first card (headless)", f"{start_size:,}", ours, bare_ms,
            "≤ 1.5× bare Textual app", check=lambda r: r <= 1.5,
        )
    )
    rows.append(
        Row(
            "TUI start via `hcflash review` (command line, checks, sync)", f"{start_size:,}", command, bare_ms,
            "≤ 1.5× bare Textual app", check=lambda r: r <= 1.5,
        )
    )
    print(f"context: a Textual app showing one Markdown card and a Footer, nothing of hcflash, starts in {floor:.0f} ms, "
          f"{floor / bare_ms:.2f}× the bare app; hcflash's first card takes {ours:.0f} ms")
    mem_size = max(stores)
    decks, db = stores[mem_size]
    shutil.copy(db, copy)
    memory = [probe(["hcflash", str(copy), str(decks)])[1] for _ in range(max(1, repeat // 2))]
    rows.append(
        Row(
            "peak memory of the review TUI", f"{mem_size:,}", median(memory) / 1024, bare_kb / 1024,
            "≤ 2× bare Textual app", unit="MiB", check=lambda r: r <= 2,
        )
    )
    return rows


def render(rows: list[Row], markdown: bool) -> str:
    header = ("measurement", "cards", "hcflash", "baseline", "ratio", "target", "")
    lines = []
    for row in rows:
        lines.append((
            row.measurement, row.size, f"{row.ours:.1f} {row.unit}", f"{row.baseline:.1f} {row.unit}",
            f"{row.ratio:.3f}×", row.target, "ok" if row.ok else "MISSED",
        ))
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header)] + [fmt.format(*line) for line in lines])


def compile_bytecode() -> None:
    """Write hcflash's bytecode, as `pip install` does for a learner. The processes timed below
    (TUI start, status) would otherwise compile every hcflash module from source on each run when
    bytecode writing is off (PYTHONDONTWRITEBYTECODE), while the Textual and Python baselines load
    theirs ready-made: a handicap no installed hcflash has."""
    compileall.compile_dir(str(Path(hcflash.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 cards only, fewer repeats")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default 5, quick 3)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--only", choices=["anki-sync", "hostile", "sync", "tui"], help="run one group of measurements only")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    sync_size = 1_000 if args.quick else 10_000  # `anki sync` with 1,000 new reviews on each side
    if args.only and args.only != "sync":
        sizes = [sync_size]
    repeat = args.repeat or (3 if args.quick else 5)
    iterations = 100 if args.quick else 300
    started = time.perf_counter()
    compile_bytecode()
    if args.only == "hostile":
        from benchmarks.hostile import hostile_rows

        print(render(hostile_rows(repeat), args.markdown))
        return
    with tempfile.TemporaryDirectory(prefix="hcflash-bench-") as tmp:
        work = Path(tmp)
        rows: list[Row] = []
        if args.only in (None, "sync"):
            for size in sizes:
                rows += sync_rows(size, repeat, work)
        if args.only == "sync":
            print(render(rows, args.markdown))
            return
        stores = {}
        for size in sizes:
            folder = work / f"store-{size}"
            folder.mkdir()
            stores[size] = build_store(folder, size)
        if not args.only:
            rows += review_rows(stores, repeat, work, iterations)
            rows += reader_rows(stores, repeat, work)
        if args.only != "tui":
            from benchmarks.anki_sync import anki_sync_rows

            rows += anki_sync_rows(stores, sync_size, repeat, work)
        if args.only in (None, "tui"):
            rows += tui_rows(stores, repeat, work)
    if not args.only:
        from benchmarks.hostile import hostile_rows

        rows += hostile_rows(repeat)
    print(f"hcflash benchmarks · {platform.python_implementation()} {platform.python_version()} · "
          f"{platform.machine()} · {sizes[-1]:,} cards max · {repeat} runs each · {time.perf_counter() - started:.0f} s")
    print(render(rows, args.markdown))
    if not args.only:
        from benchmarks.optimize import optimize_rows

        print()
        print("\n".join(optimize_rows([10_000] if args.quick else [10_000, 100_000], repeat)))
    missed = [r for r in rows if not r.ok]
    if missed:
        print(f"{len(missed)} target(s) missed: " + ", ".join(f"{r.measurement} ({r.size})" for r in missed))

if __name__ == "__main__":
    main()
