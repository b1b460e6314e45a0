"""The one base for every path an extension reads from the configuration: the configuration folder (conf.py's).

Never the current directory: a build started from another folder reads the same files. A value that is already
absolute stays as it is.
"""
from __future__ import annotations

from pathlib import Path


def config_path(app, value: str) -> Path:
    """The path a configuration value names, relative to the folder of conf.py (app.confdir)."""
    return (Path(app.confdir) / value).resolve()
