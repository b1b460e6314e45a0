#!/usr/bin/env python3
"""Resolve requirements.in into the lock file requirements.txt for the oldest Python the book supports.

Debian 12 ships Python 3.11.2, and some packages' newest releases need 3.11.5 or later: resolving on a newer
3.11 would pin versions that a fresh Debian machine cannot install. pip resolves for LOCK_PYTHON (wheels only,
nothing installed) and writes every package, pinned.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_PYTHON = os.environ.get("LOCK_PYTHON", "3.11.2")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
                        "--target", str(Path(tmp) / "target"), "--python-version", LOCK_PYTHON,
                        "--only-binary=:all:", "--report", str(report), "-r", str(ROOT / "requirements.in")],
                       check=True)
        installs = json.loads(report.read_text())["install"]
    pins = sorted(f"{i['metadata']['name']}=={i['metadata']['version']}" for i in installs)
    (ROOT / "requirements.txt").write_text(
        f"# Lock file: every package pinned, resolved for Python {LOCK_PYTHON} (Debian 12) by 'make lock'.\n"
        "# Edit requirements.in, then run 'make lock'.\n" + "\n".join(sorted(pins, key=str.lower)) + "\n")
    print(f"lock_requirements: {len(pins)} packages pinned for Python {LOCK_PYTHON} in requirements.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
