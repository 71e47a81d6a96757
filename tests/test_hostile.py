"""Hostile deck files beyond the fixed corpus (`tests/hostile_inputs.py`): inputs that once hung the
parser or grew its memory to gigabytes. They run in one subprocess whose address space is capped
(`resource.setrlimit`), through both `check` and the sync scan; each refused file must give its
code at its line, and each linear-time shape must parse. How long they take at 1× and 10× is a
benchmark row (`python -m benchmarks`), not an assertion here."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .hostile_inputs import LINEAR, REFUSED

ROOT = Path(__file__).resolve().parent.parent
MEMORY_CAP = 768 * 1024 * 1024  # the whole interpreter: the blow-ups this guards against reached 2-5 GB

RUNNER = """
import json, sys, tempfile
from pathlib import Path
from hcflash.check import check_paths
from hcflash.deck_sync import scan_decks
from tests.hostile_inputs import LINEAR, REFUSED

def run(text):
    folder = Path(tempfile.mkdtemp())
    (folder / "x.md").write_text(text, encoding="utf-8")
    checked = check_paths([folder])
    scanned = scan_decks([folder], {})
    return {
        "check": [[i.code, i.line, i.severity] for i in checked.issues],
        "sync": [[i.code, i.line] for i in scanned.issues if i.severity == "error"],
        "notes": sum(len(d.notes) for d in checked.decks),
    }

results = {name: run(text) for name, (text, _, _) in REFUSED.items()}
results.update({name: run(build(1)) for name, build in LINEAR.items()})
print(json.dumps(results))
"""


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@pytest.fixture(scope="module")
def results() -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER], cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=_cap_memory,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_hostile_file_is_refused_at_its_code_and_line_within_the_memory_cap(results, name):
    _, code, line = REFUSED[name]
    found = results[name]
    first_error = next(issue for issue in found["check"] if issue[2] == "error")
    assert first_error[:2] == [code, line]
    assert found["sync"][0] == [code, line], "sync and check disagree"
    assert len(found["check"]) <= 101, "issues of one file are capped"


@pytest.mark.parametrize("name", sorted(LINEAR))
def test_each_shape_that_was_quadratic_parses_within_the_memory_cap(results, name):
    found = results[name]
    assert found["notes"] > 0
    assert sorted(map(tuple, found["sync"])) == sorted((c, n) for c, n, severity in found["check"] if severity == "error")


def test_a_file_of_problems_lists_a_hundred_and_still_fails(tmp_path):
    from hcflash.check import check_paths

    (tmp_path / "x.md").write_text("".join(f"## Q{i}\n\nA\n\n" for i in range(300)))  # no id, no source: 600 errors
    result = check_paths([tmp_path])
    assert len(result.issues) == 101 and result.errors
    assert "only the first 100" in result.issues[-1].message


def test_warnings_beyond_the_cap_do_not_hide_an_error(tmp_path):
    from hcflash.check import check_paths

    long = "word " * 200
    cards = "".join(f"## Q{i} <!-- id: q{i} -->\n\n{long}\n\nSource: IHE ITI TF-1, 5\n\n" for i in range(150))
    (tmp_path / "x.md").write_text(cards + "## Last <!-- id: last -->\n\n<script>x</script>\n\nSource: IHE ITI TF-1, 5\n")
    result = check_paths([tmp_path])
    assert len(result.issues) == 101
    assert result.errors, "the HC140 error past the first 100 warnings was lost"
