"""The pull-request gate: one bad deck file per rule, each asserting its exact code and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hcflash.check import check_paths

CORPUS = Path(__file__).parent / "fixtures" / "bad_decks"

# file → (code, line, severity) of the one finding it must produce
EXPECTED = {
    "HC100-binary.md": ("HC100", 1, "error"),
    "HC100-latin1.md": ("HC100", 1, "error"),
    "HC101-front-matter-yaml.md": ("HC101", 2, "error"),
    "HC101-duplicate-key.md": ("HC101", 3, "error"),
    "HC102-unknown-key.md": ("HC102", 3, "error"),
    "HC110-missing-id.md": ("HC110", 3, "error"),
    "HC111-bad-id.md": ("HC111", 1, "error"),
    "HC112-prefix.md": ("HC112", 5, "error"),
    "HC113-duplicate-id.md": ("HC113", 7, "error"),
    "HC120-no-question.md": ("HC120", 1, "error"),
    "HC121-no-answer.md": ("HC121", 1, "error"),
    "HC122-no-source.md": ("HC122", 3, "error"),
    "HC123-bad-metadata.md": ("HC123", 6, "error"),
    "HC124-bare-url.md": ("HC124", 1, "error"),
    "HC124-cfr-without-section.md": ("HC124", 1, "error"),
    "HC130-bad-cloze.md": ("HC130", 1, "error"),
    "HC131-cloze-reversed.md": ("HC131", 1, "error"),
    "HC140-raw-html.md": ("HC140", 1, "error"),
    "HC141-link-outside.md": ("HC141", 1, "error"),
    "HC141-missing-file.md": ("HC141", 1, "error"),
    "HC141-remote-image.md": ("HC141", 1, "error"),
    "HC142-long-answer.md": ("HC142", 1, "warning"),
    "HC150-near-duplicate.md": ("HC150", 7, "warning"),
}


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.name for p in CORPUS.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_rule_reports_its_code_and_line(name, tmp_path):
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(CORPUS / name, decks / name)
    result = check_paths([decks])
    assert [(i.code, i.line, i.severity) for i in result.issues] == [EXPECTED[name]]
    assert result.issues[0].path.name == name


def test_links_inside_the_decks_folder_to_existing_files_pass(tmp_path):
    decks = tmp_path / "decks"
    (decks / "img").mkdir(parents=True)
    (decks / "img" / "flow.png").write_bytes(b"png")
    (decks / "a.md").write_text(
        "## Q <!-- id: q -->\n\n![flow](img/flow.png) and [spec](https://hl7.org/fhir/R4/) ok\n\n"
        "Source: [HL7 FHIR R4](https://hl7.org/fhir/R4/), RESTful API\n"
    )
    assert check_paths([decks]).issues == ()


def test_no_raw_html_at_all_not_even_line_breaks_in_the_question(tmp_path):
    # One rule everywhere: the terminal shows raw HTML as text and Anki's sanitizer drops it, so none is allowed.
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "a.md").write_text("## H<sub>2</sub>O? <!-- id: q -->\n\nWater<br>\n\nSource: IHE ITI TF-1, 5\n")
    assert [(i.code, i.line) for i in check_paths([decks]).issues] == [("HC140", 1)]
