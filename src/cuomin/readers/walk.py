"""Expanding directories into the documents inside them.

A directory is walked recursively, in sorted order, over the supported suffixes
(:data:`cuomin.readers.KINDS`). ``.cuominignore`` files, in ``.gitignore`` syntax
(``pathspec``), leave paths out; as in git, a file's patterns are relative to its
directory, a deeper file overrides a shallower one, and a directory left out is not
entered. Version-control folders and Word's lock files (``~$draft.docx``) are always
skipped.

A path named explicitly is always read, whatever its suffix and the ignore files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional, Union

from . import KINDS, InputError

if TYPE_CHECKING:
    import pathspec

IGNORE_FILE = ".cuominignore"
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "__pycache__"})


def _load_spec(directory: Path) -> Optional["pathspec.GitIgnoreSpec"]:
    f = directory / IGNORE_FILE
    if not f.is_file():
        return None
    try:
        lines = f.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{f}: cannot read ignore file: {exc}", str(f)) from None
    import pathspec  # only when a directory has an ignore file (keeps start-up short)

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(path: Path, is_dir: bool, specs: list[tuple[Path, "pathspec.GitIgnoreSpec"]]) -> bool:
    verdict = False
    for base, spec in specs:  # shallow to deep: the deepest decision wins
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            continue
        result = spec.check_file(rel + "/" if is_dir else rel)
        if result.include is not None:
            verdict = result.include
    return verdict


def walk(root: Path, skip: Iterable[Path] = ()) -> Iterator[Union[str, InputError]]:
    """Paths (as strings) of the documents under ``root``, and an InputError for
    each file there that is a draft but cannot be read. ``skip``: files that are not
    drafts although they look like one (the configuration's allow-lists)."""
    root = Path(root)
    skip = {Path(p).resolve() for p in skip}
    specs: dict[Path, Optional["pathspec.GitIgnoreSpec"]] = {}

    def applicable(directory: Path) -> list[tuple[Path, "pathspec.GitIgnoreSpec"]]:
        chain = []
        d = directory
        while True:
            spec = specs.get(d)
            if spec is not None:
                chain.append((d, spec))
            if d == root or d.parent == d:
                break
            d = d.parent
        return chain[::-1]

    def on_error(exc: OSError) -> None:
        errors.append(InputError(f"{exc.filename}: cannot read directory: {exc.strerror}", str(exc.filename)))

    errors: list[InputError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        d = Path(dirpath)
        try:
            specs[d] = _load_spec(d)
        except InputError as exc:
            yield exc
            specs[d] = None
        chain = applicable(d)
        dirnames[:] = sorted(
            n for n in dirnames if n not in SKIP_DIRS and not _ignored(d / n, True, chain)
        )
        for n in sorted(filenames):
            if n == IGNORE_FILE or n.startswith("~$"):
                continue
            p = d / n
            suffix = p.suffix.lower()
            if suffix not in KINDS:
                continue
            if _ignored(p, False, chain) or (skip and p.resolve() in skip):
                continue
            yield str(p)
        while errors:
            yield errors.pop(0)


def expand(inputs: Iterable[str], skip: Iterable[Path] = ()) -> Iterator[Union[str, InputError]]:
    """Each input as given (``-`` for standard input), directories walked."""
    skip = list(skip)
    for item in inputs:
        if item != "-" and Path(item).is_dir():
            found = False
            for x in walk(Path(item), skip):
                found = True
                yield x
            if not found:
                yield InputError(
                    f"{item}: no documents to check in this directory ({' '.join(sorted(KINDS))})", item
                )
        else:
            yield item
