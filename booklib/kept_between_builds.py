"""What a build keeps for the next one: a value stored under a key, and the version of the code that made it.

A result kept between builds is only as good as its key: the key names everything the result depends on (the
content of the files read, the code that read them), so a change of any of them is never answered from the store.
"""
from __future__ import annotations

import functools
import hashlib
import pickle
from pathlib import Path
from typing import Any

from booklib import written_files


@functools.cache
def code_version(*files: Path, extra: str = "") -> str:
    """A hash of these source files (their names and bytes) and of ``extra`` (a library's version, say), worked out
    once per process: code does not change while a build runs."""
    digest = hashlib.sha256(extra.encode())
    for path in files:
        digest.update(b"\0" + Path(path).name.encode() + b"\0" + Path(path).read_bytes())
    return digest.hexdigest()


def recall(path: Path, key: Any) -> Any | None:
    """The value kept at ``path`` under ``key``, or None: no file, another key, or one that cannot be read (from
    other code, or broken). The key is read first, so a stale value is never unpickled."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle) if pickle.load(handle) == key else None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None


def keep(path: Path, key: Any, value: Any) -> None:
    """Keep ``value`` under ``key`` at ``path``, written atomically: builds beside each other may share it."""
    written_files.write_atomic(Path(path), pickle.dumps(key, pickle.HIGHEST_PROTOCOL)
                               + pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
