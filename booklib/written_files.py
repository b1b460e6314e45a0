"""Files the importer writes: written atomically (a crash leaves the old file or the new one, never half of
one), and the manifest that records their hashes."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

MANIFEST_VERSION = 2

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_manifest(path: Path) -> dict:
    if not path.exists():
        return {"version": MANIFEST_VERSION, "source_sha256": None, "files": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def write_atomic(target: Path, content: str | bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    if isinstance(content, bytes):
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
    else:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
    os.replace(tmp, target)
