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


def _readme_block(after: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(after) + len(after)
    return text[start : text.index("```", start)].strip("\n").splitlines()


def test_readme_shows_the_real_output_of_check(monkeypatch):
    from click.testing import CliRunner

    from cuomin.cli import main

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", "--isolated", "--date", "2023-10-30", "examples/draft.txt"])
    assert result.exit_code == 1
    assert _readme_block("$ cuomin check --date 2023-10-30 examples/draft.txt\n") == result.output.strip("\n").splitlines()


def test_readme_first_screen_has_the_two_set_up_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in text.split("```bash\n")[1:3]]
    assert blocks[0].endswith("pip install . && cuomin check --date 2023-10-30 examples/draft.txt")
    assert blocks[1].endswith("pip install -e '.[test]' && python -m pytest -q")
    assert text.index("```bash") < 1500  # on the first screen
