"""Where cuomin keeps what it builds once and loads afterwards, and how it writes there.

``$CUOMIN_CACHE_DIR``, else the platform cache directory
(``platformdirs.user_cache_dir("cuomin")``, e.g. ``~/.cache/cuomin``), one
sub-folder per kind of entry: ``scanners/`` (compiled rule sets, engine/cache.py),
``confusion/`` (the suspected-typo model), ``segdict/`` (jieba's dictionary split
by first character). ``CUOMIN_NO_CACHE=1`` turns every one of them off. Writes go
to a temporary file renamed into place, so a reader never sees half an entry; a
directory that cannot be created or written only means the thing is built again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

_FALSE = {"", "0", "false", "no", "off"}


def cache_disabled() -> bool:
    """Whether ``CUOMIN_NO_CACHE`` asks for no cache."""
    return os.environ.get("CUOMIN_NO_CACHE", "").strip().lower() not in _FALSE


def cache_dir() -> Path:
    env = os.environ.get("CUOMIN_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("cuomin", appauthor=False))


def data_cache_dir(kind: str) -> Optional[Path]:
    """The sub-folder for entries of ``kind``; ``None`` when the cache is off."""
    return None if cache_disabled() else cache_dir() / kind


def atomic_write(path: Path, data: bytes, *, keep: int, pattern: str) -> bool:
    """Write ``data`` to ``path`` (temporary file + ``os.replace``), then keep only
    the ``keep`` newest entries matching ``pattern`` in its folder. False when the
    folder cannot be written."""
    import tempfile  # (here: a call that loads from the cache never writes, nor needs it)

    directory = path.parent
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    try:
        entries = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink()
    except OSError:
        pass
    return True
