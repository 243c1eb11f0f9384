"""Every rule-pack example runs as a test: each ``match`` fires, each ``nomatch`` does not.

The shipped packs skip example checks when a Scanner is built (to keep start-up
fast), so this suite is what keeps them from rotting.
"""

import pytest

from cuomin import default_pack_paths, load_pack
from cuomin.rules.loader import optional_pack_paths
from cuomin.engine.examples import entry_hits, entry_label, example_scanner, iter_examples
from cuomin.rules.schema import Entry

from .conftest import assert_offsets

PACKS = {p.name: load_pack(p) for p in [*default_pack_paths(), *optional_pack_paths().values()]}
_scanners: dict = {}


def _scanner(name):
    if name not in _scanners:
        _scanners[name] = example_scanner(PACKS[name])
    return _scanners[name]


CASES = [
    pytest.param(
        name, rule.code, entry, ex, expected,
        id=f"{rule.code}-{entry_label(entry) or 'rule'}-{'match' if expected else 'nomatch'}-{ex.text[:20]}",
    )
    for name, pack in PACKS.items()
    for rule, entry, ex, expected in iter_examples(pack)
]


@pytest.mark.parametrize("pack, code, entry, example, expected", CASES)
def test_example(pack, code, entry, example, expected):
    scanner = _scanner(pack)
    findings = assert_offsets(example.text, scanner.scan(example.text, published=example.date))
    hits = [f for f in findings if f.code == code]
    if expected and entry is not None:
        hits = entry_hits(scanner, entry, hits)
        assert hits, f"{code} {entry_label(entry)} should match {example.text!r}; got {findings}"
        if isinstance(entry, Entry):  # a literal hit suggests exactly the entry's right forms
            assert all(f.suggestions == list(entry.right) for f in hits)
    elif expected:
        assert hits, f"{code} should match {example.text!r}; got {findings}"
    else:
        assert not hits, f"{code} must not match {example.text!r}; got {hits}"


def test_every_category_has_rules():
    cats = {r.category.value for pack in PACKS.values() for r in pack.rules}
    assert cats == {"sensitive", "political", "expression", "outdated", "typo", "variant", "number", "punctuation", "privacy"}


def test_every_rule_and_entry_has_examples():
    missing = []
    for pack in PACKS.values():
        for rule in pack.rules:
            if rule.kind == "roster":
                missing += [f"{rule.code}:{p.name[0]}" for p in rule.people if not (p.match and p.nomatch)]
                continue
            if rule.kind != "literal":
                if not (rule.match and rule.nomatch):
                    missing.append(rule.code)
                continue
            for entry in rule.entries:
                if not entry.match or not entry.nomatch:
                    missing.append(f"{rule.code}:{entry.wrong[0]}")
    assert not missing, f"rules/entries without both match and nomatch examples: {missing[:20]}"


def test_codes_are_unique_across_packs():
    codes = [r.code for pack in PACKS.values() for r in pack.rules]
    assert len(codes) == len(set(codes))
