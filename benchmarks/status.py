"""Status from a second terminal: beside an open review session, and the shell-prompt form.

- `hcflash status` while another process holds a review session open, against the same command
  with no session open: readers must not wait for the session.
- `hcflash status --short`, the whole process, against `python -c "import sqlite3"`: cheap enough
  for every shell prompt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HOLD = (
    "import sys, time; from pathlib import Path; from hcflash.store import Store; from hcflash.service import StudyService; "
    "s = StudyService(Store.open(Path(sys.argv[1])), [Path(sys.argv[2])]); c = s.next_card(); s.preview(c.id); s.rate(c.id, 3); "
    "print('holding', flush=True); time.sleep(600)"
)


def _run(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return (time.perf_counter() - start) * 1000


def status_beside_a_session(db: Path, decks: Path, work: Path, repeat: int) -> tuple[list[float], list[float]]:
    """(status with a review session open in another process, status with none), in ms per command."""
    copy = work / "status.db"
    shutil.copy(db, copy)
    command = [sys.executable, "-m", "hcflash", "--db", str(copy), "--decks", str(decks), "status"]
    _run(command)  # the first run syncs; the rest are what a learner meets
    alone = [_run(command) for _ in range(repeat)]
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(copy), str(decks)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        beside = [_run(command) for _ in range(repeat)]
    finally:
        holder.kill()
        holder.wait()
    return beside, alone


def short_status(db: Path, repeat: int) -> tuple[list[float], list[float]]:
    """(`hcflash status --short` as a whole process, `python -c "import sqlite3"`), in ms."""
    hcflash = shutil.which("hcflash", path=str(Path(sys.executable).parent)) or "hcflash"
    env = {**os.environ, "HCFLASH_DB": str(db)}
    _run([hcflash, "status", "--short"], env)
    ours = [_run([hcflash, "status", "--short"], env) for _ in range(repeat)]
    base = [_run([sys.executable, "-c", "import sqlite3"]) for _ in range(repeat)]
    return ours, base
