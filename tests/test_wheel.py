"""The packs ship inside the wheel: a built, installed wheel finds them from any directory."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
            check=True, capture_output=True, text=True, timeout=600,
        )
    except subprocess.CalledProcessError as exc:  # pragma: no cover - needs the build backend
        pytest.fail(f"building the wheel failed:\n{exc.stderr[-2000:]}")
    (whl,) = out.glob("cuomin-*.whl")
    return whl


@pytest.mark.slow
def test_wheel_contains_every_pack(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("cuomin/wordlists/")}
    assert {p.name for p in (ROOT / "wordlists").glob("*.toml")} <= shipped


@pytest.mark.slow
def test_installed_wheel_checks_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "draft.txt").write_text("热烈庆祝中华人名共和国成立\n", encoding="utf-8")
    code = "import cuomin, sys; print(cuomin.__file__); from cuomin.cli import main; sys.argv = ['cuomin', 'check', 'draft.txt']; main()"
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert r.stdout.splitlines()[0].startswith(str(target)), r.stdout + r.stderr
    assert "draft.txt:1:5: POL001" in r.stdout, r.stdout + r.stderr
    assert r.returncode == 1
