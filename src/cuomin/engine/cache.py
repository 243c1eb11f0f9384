"""An on-disk cache of built Scanners, so a CLI call loads its rule set rather than
parsing, validating and compiling every pack again.

The key is a SHA-256 over everything that shapes the build: the package version and
cache format, the Python version, the matcher back end, the *content* of every pack
file (default and extra) and allow-list file, the allow phrases, ``select`` and
``ignore``. Change a pack and the key changes; old entries are pruned.

Where: ``$CUOMIN_CACHE_DIR``, else the platform cache directory
(``platformdirs.user_cache_dir("cuomin")``, e.g. ``~/.cache/cuomin``), sub-folder
``scanners/``. ``CUOMIN_NO_CACHE=1`` (or ``use_cache=False``, ``cuomin check
--no-cache``) turns it off. Writes go to a temporary file renamed into place, so a
reader never sees half an entry; a cache directory that cannot be created or written
(read-only home, full disk) only means the Scanner is built each time. An entry that
cannot be read back (truncated, from another version) is ignored and rebuilt.

Entries are pickles: the cache directory must be as trusted as the installed code.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Iterable, Mapping, Optional

from ..rules.loader import AllowPhrase, default_pack_paths, expand_pack_paths, shipped_charmap_path
from .cachedir import atomic_write, data_cache_dir
from .matcher import default_backend
from .scanner import AllowLike, PackLike, Scanner

CACHE_FORMAT = 1
KEEP_ENTRIES = 16


def _code_stamp() -> tuple:
    """Size and modification time of every module of the package: a pickled Scanner
    holds objects of these modules, so an edited install (or a development checkout
    between releases) must not load one pickled by other code."""
    package = Path(__file__).resolve().parents[1]
    return tuple(
        (str(p.relative_to(package)), st.st_size, st.st_mtime_ns)
        for p in sorted(package.rglob("*.py"))
        for st in (p.stat(),)
    )


def _table_stamp() -> tuple:
    """Size and modification time of the character tables roster rules compile from."""
    from .chartables import table_paths

    try:
        return tuple((p.name, st.st_size, st.st_mtime_ns) for p in table_paths() for st in (p.stat(),))
    except OSError:  # missing: building reports it
        return ()


def scanner_key(
    packs: Optional[Iterable[PackLike]] = None,
    *,
    extra_packs: Iterable[PackLike] = (),
    allow: Iterable[AllowLike] = (),
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    check_examples: bool = True,
    params: Optional[Mapping[str, Mapping]] = None,
) -> Optional[str]:
    """The cache key of a Scanner built with these arguments, or ``None`` when it
    cannot be cached (a parsed :class:`Pack` was given, or a file cannot be read:
    then building reports the problem)."""
    from .. import __version__

    h = hashlib.sha256()

    def add(*parts) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)

    add(CACHE_FORMAT, __version__, sys.version_info[:2], default_backend(), _code_stamp(), _table_stamp())
    user = list(extra_packs) if packs is None else [*packs, *extra_packs]
    if any(not isinstance(p, (str, os.PathLike)) for p in user):  # a parsed Pack
        return None
    try:
        pack_files = [shipped_charmap_path(), *(default_pack_paths() if packs is None else []), *expand_pack_paths(user)]
        add("packs", len(pack_files))
        for path in pack_files:
            add(str(Path(path).resolve()), Path(path).read_bytes())
        add("allow")
        for a in allow:
            if isinstance(a, AllowPhrase):
                add("phrase", a.phrase, a.codes)
            elif isinstance(a, str):
                add("phrase", a)
            else:
                add("file", str(Path(a).resolve()), Path(a).read_bytes())
    except OSError:
        return None
    add("select", tuple(select), "ignore", tuple(ignore), "examples", bool(check_examples))
    add("params", sorted((code.upper(), sorted(values.items())) for code, values in (params or {}).items()))
    if check_examples and user:
        add("day", dt.date.today().isoformat())  # examples without a date run with today's
    return h.hexdigest()


def cached_scanner(
    packs: Optional[Iterable[PackLike]] = None,
    *,
    extra_packs: Iterable[PackLike] = (),
    allow: Iterable[AllowLike] = (),
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    check_examples: bool = True,
    use_cache: bool = True,
    params: Optional[Mapping[str, Mapping]] = None,
) -> Scanner:
    """``Scanner(...)`` with the same arguments, loaded from the cache when an entry
    for exactly these inputs exists, else built and stored."""
    packs = None if packs is None else list(packs)
    options = dict(extra_packs=list(extra_packs), allow=list(allow), select=list(select), ignore=list(ignore),
                   check_examples=check_examples, params=params)
    directory = data_cache_dir("scanners") if use_cache else None
    key = scanner_key(packs, **options) if directory is not None else None
    if key is None:
        return Scanner(packs, **options)
    entry = directory / f"{key}.pickle"
    loaded = _load(entry)
    if loaded is not None:
        return loaded
    scanner = Scanner(packs, **options)
    _store(entry, scanner)
    return scanner


def _load(entry: Path) -> Optional[Scanner]:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    gc_was_enabled = gc.isenabled()
    gc.disable()  # thousands of small objects: no collection passes while loading
    try:
        obj = pickle.loads(data)
    except Exception:  # truncated, foreign or stale entry: rebuild
        return None
    finally:
        if gc_was_enabled:
            gc.enable()
    return obj if isinstance(obj, Scanner) else None


def _store(entry: Path, scanner: Scanner) -> bool:
    """Write atomically and prune old entries; False when it cannot."""
    try:
        data = pickle.dumps(scanner, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # pragma: no cover - an unpicklable user object
        return False
    return atomic_write(entry, data, keep=KEEP_ENTRIES, pattern="*.pickle")
