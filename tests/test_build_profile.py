"""make profile (scripts/build_profile.py): a build's time by page, listener and directive, and the build's own
exit status."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROOTS = ROOT / "tests" / "roots"


def profile(root: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.build_profile", "--top", "50", "-j", "1", "-q", "-n", "-W",
                           "--keep-going", "-d", str(out / "doctrees"), "-b", "html", str(ROOTS / root),
                           str(out / "html")], cwd=ROOT, capture_output=True, text=True)


def test_the_profile_names_the_pages_listeners_and_directives_of_the_build(tmp_path):
    done = profile("timeline-valid-with-linked-terms", tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {kind: block for kind, block in re.findall(r"^(pages|listeners|directives) .*?:\n((?:  .*\n?)*)",
                                                       done.stdout, re.M)}
    assert re.search(r"^ +\d+\.\d{3} s +3x  index$", rows["pages"], re.M)  # read, resolved and written
    assert re.search(r"  builder-inited: ext\.book_timeline\.load_once$", rows["listeners"], re.M)
    assert re.search(r"^ +\d+\.\d{3} s +1x  dated-events$", rows["directives"], re.M)
    assert (tmp_path / "html" / "index.html").exists()


def test_a_failing_build_fails_the_profile_too(tmp_path):
    done = profile("timeline-bad-date", tmp_path)
    assert done.returncode != 0
    assert "timeline.yaml" in done.stderr  # the build's own message
