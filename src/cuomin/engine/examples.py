"""Running a pack's examples: every ``match`` must fire, every ``nomatch`` must not.

A rule's examples are checked against its code, in a Scanner of the pack alone (of the
pack and the default packs when a rule's check reads the rule set it runs in:
``sensitive_homophones``); an entry's ``match`` examples must produce a finding of the
rule whose text is one of that entry's wrong forms (a roster person's: a finding that
names the person).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from ..rules.loader import PackError
from ..rules.schema import Example, Pack, Person


@dataclass(frozen=True)
class ExampleFailure:
    pack: str
    code: str
    entry: Optional[str]
    example: Example
    expected: bool  # True: should have matched

    def __str__(self) -> str:
        where = f"rule {self.code}" + (f", entry {self.entry}" if self.entry else "")
        verb = "should match but did not" if self.expected else "must not match but did"
        date = f" (date {self.example.date})" if self.example.date else ""
        return f"{self.pack}: {where}: example {self.example.text!r}{date} {verb}"


def iter_examples(pack: Pack):
    """Yield ``(rule, entry_or_None, example, expected)`` for every example in ``pack``."""
    for rule in pack.rules:
        for ex in rule.match:
            yield rule, None, ex, True
        for ex in rule.nomatch:
            yield rule, None, ex, False
        for entry in [*rule.entries, *rule.people]:
            for ex in entry.match:
                yield rule, entry, ex, True
            for ex in entry.nomatch:
                yield rule, entry, ex, False


def example_scanner(pack: Pack):
    """The Scanner a pack's examples run in: the pack alone, or with the default packs
    when a rule's check reads the rule set it runs in."""
    from .scanner import Scanner
    from .structure import RULE_SET_CHECKS

    if any(rule.kind == "structure" and rule.check in RULE_SET_CHECKS for rule in pack.rules):
        return Scanner(extra_packs=[pack], check_examples=False)
    return Scanner(packs=[pack], check_examples=False)


def example_failures(pack: Pack) -> Iterator[ExampleFailure]:
    scanner = example_scanner(pack)
    for rule, entry, ex, expected in iter_examples(pack):
        hits = [f for f in scanner.scan(ex.text, published=ex.date) if f.code == rule.code]
        if entry is not None and expected:
            hits = entry_hits(scanner, entry, hits)
        if bool(hits) != expected:
            yield ExampleFailure(pack.path, rule.code, entry_label(entry), ex, expected)


def entry_hits(scanner, entry, findings: list) -> list:
    """The findings that belong to ``entry``: a literal entry's wrong forms, or a
    roster person's title-and-name forms."""
    if isinstance(entry, Person):
        return [f for f in findings if any(scanner.normalize_key(n) in scanner.normalize_key(f.text) for n in entry.name)]
    forms = {scanner.normalize_key(w) for w in entry.wrong}
    return [f for f in findings if scanner.normalize_key(f.text) in forms]


def entry_label(entry) -> Optional[str]:
    """How messages and test ids name an entry: its first wrong form or name."""
    if entry is None:
        return None
    return entry.name[0] if isinstance(entry, Person) else entry.wrong[0]


def check_examples(pack: Pack) -> None:
    """Raise :class:`PackError` naming the file, rule, entry and example that failed."""
    failures = list(example_failures(pack))
    if failures:
        more = f" (and {len(failures) - 1} more failing examples)" if len(failures) > 1 else ""
        raise PackError(f"{failures[0]}{more}")
