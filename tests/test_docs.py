"""Docs follow the data: the per-category rule pages are generated from the packs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_rule_pages_are_up_to_date():
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_rule_docs.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_category_and_the_pack_format_have_a_page():
    for name in ("sensitive", "political", "expression", "outdated", "typo", "variant", "number", "punctuation", "privacy"):
        assert (ROOT / "docs" / "rules" / f"{name}.md").exists()
    assert (ROOT / "docs" / "rule-packs.md").exists()
    assert (ROOT / "docs" / "api.md").exists()
