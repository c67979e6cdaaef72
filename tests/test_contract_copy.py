"""CONTRACT.md in the repository is the authority; the shared copy may only lag behind it.

The repository copy may extend ../shared/CONTRACT.md (the file other
programs were written against) but never drop or change one of its lines:
every line of the shared copy must appear in the repository copy, in order.
"""

import difflib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPO = ROOT / "CONTRACT.md"
SHARED = ROOT.parent / "shared" / "CONTRACT.md"


def _is_subsequence(small, big):
    it = iter(big)
    return all(any(line == other for other in it) for line in small)


def test_the_repository_has_the_contract_and_the_readme_links_it():
    assert REPO.is_file()
    assert "](CONTRACT.md)" in (ROOT / "README.md").read_text()


@pytest.mark.skipif(not SHARED.is_file(), reason=f"no shared contract at {SHARED}")
def test_the_repository_copy_keeps_every_line_of_the_shared_contract():
    shared = SHARED.read_text().splitlines()
    repo = REPO.read_text().splitlines()
    if not _is_subsequence(shared, repo):
        diff = "\n".join(difflib.unified_diff(shared, repo, "shared/CONTRACT.md",
                                              "CONTRACT.md", lineterm=""))
        pytest.fail("CONTRACT.md drops or changes lines of the shared contract:\n" + diff)


def test_the_subsequence_check_can_fail():
    assert _is_subsequence(["a", "c"], ["a", "b", "c"])
    assert not _is_subsequence(["c", "a"], ["a", "b", "c"])
    assert not _is_subsequence(["a", "x"], ["a", "b", "c"])
