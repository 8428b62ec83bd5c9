"""The program as a clerk's PC gets it, run from a folder outside the checkout.

- ``install``: the wheel built from this checkout, installed with its
  dependencies in a new virtual environment: the ``ziping`` and ``ziping-gui``
  commands, resources read from the installed package.
- ``bundle``: the PyInstaller folder ``dist/ziping`` made by the README's
  bundle command (packaging/ziping.spec).

Both are left out of the everyday test command (see addopts); CI runs them
after building the bundle: ``pytest -m "install or bundle"``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from ui.window import window_tabs

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "ziping"
SAMPLE_NAME = "jishou_kegongxin_2023.json"
WINDOW_LINES = [
    "窗口已打开：吉首市科工信局 2023年度（草稿） — 绩效自评填报",
    f"页签：{len(window_tabs())} 个",
    "界面字体：WenQuanYi Micro Hei",
    "Qt 译文：已载入",
]


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    environ.update(env)
    return subprocess.run(args, cwd=cwd, env=environ, capture_output=True, text=True, encoding="utf-8",
                          check=False, timeout=600)


def _exercise(console: str, gui: str, sample: Path, work: Path) -> None:
    """check, convert to PDF (with its QR code) and to Word, and a window start, from ``work``."""
    from main import _counts
    from models import interchange
    from models.rules import check

    expected = interchange.read(sample)  # what this checkout's code makes of it
    fingerprint = interchange.fingerprint(expected)
    work.mkdir(exist_ok=True)
    done = _run([console, "check", str(sample)], work)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[:2] == [
        f"吉首市科工信局 2023年度　指纹 {fingerprint}",
        f"审核发现：{_counts(check(expected))}",
    ]

    done = _run([console, "convert", str(sample), "打印稿.pdf"], work)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    pdf = work / "打印稿.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert fingerprint in text and "吉首市科工信局" in text
    if shutil.which("pdftoppm") and shutil.which("zbarimg"):
        subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(work / "page")],
                       check=True)
        (png,) = work.glob("page*.png")
        qr = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=False)
        assert qr.stdout.strip() == f"ZIPING {fingerprint.upper()} 2023"

    # The 评价报告 as a Word file: python-docx reads its templates from its package.
    done = _run([console, "convert", str(sample), "评价报告.docx"], work)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    with zipfile.ZipFile(work / "评价报告.docx") as docx:
        assert "吉首市科工信局" in docx.read("word/document.xml").decode("utf-8")

    done = _run([gui, "--db", str(work / "new.sqlite3")], work, ZIPING_SMOKE="1", QT_QPA_PLATFORM="offscreen",
                ZIPING_SETTINGS=str(work / "settings.ini"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[: len(WINDOW_LINES)] == WINDOW_LINES, done.stdout + done.stderr


@pytest.mark.install
@pytest.mark.timeout(900)
def test_the_wheel_installs_and_runs_from_any_folder(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "wheel"),
                            str(ROOT)], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "wheel").glob("ziping-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = str(bin_dir / "python")
    installed = _run([python, "-m", "pip", "install", "-q", str(wheel)], tmp_path)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([python, "-c", "import models; from models import resources; "
                  f"print(models.__file__); print(resources.path('samples', {SAMPLE_NAME!r}))"], elsewhere)
    module, sample = (Path(line) for line in where.stdout.splitlines())
    assert venv in module.parents and venv in sample.parents, where.stdout
    assert sample.is_file()

    done = _run([str(bin_dir / "ziping"), "--help"], elsewhere)
    assert done.stdout.startswith("用法：ziping ")
    _exercise(str(bin_dir / "ziping"), str(bin_dir / "ziping-gui"), sample, elsewhere)


@pytest.mark.bundle
def test_the_bundle_runs_from_any_folder(tmp_path: Path) -> None:
    assert (BUNDLE / "ziping").exists(), (
        f"{BUNDLE} is missing: build it first with the README's bundle command"
    )
    internal = BUNDLE / "_internal"
    sample = internal / "resources" / "samples" / SAMPLE_NAME
    assert sample.is_file()
    # reportlab's C accelerators are in (else PDFs are twice as slow) …
    assert list(internal.rglob("_rl_accel*"))
    # … and of Qt's 300-odd translation files only the Chinese ones.
    translations = [p.name for p in internal.rglob("translations/*.qm")]
    assert "qtbase_zh_CN.qm" in translations
    assert all("_zh_CN" in name for name in translations)
    _exercise(str(BUNDLE / "ziping"), str(BUNDLE / "ziping-gui"), sample, tmp_path / "elsewhere")
