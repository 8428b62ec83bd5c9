"""Shared fixtures. Qt runs offscreen so the whole suite needs no display."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The suite never touches the user's own data, settings, caches or logs.
_HOME = Path(tempfile.mkdtemp(prefix="ziping-tests-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "resources" / "samples" / "jishou_kegongxin_2023.json"

# Before any test imports openpyxl: the program's choice of XML parser for workbooks.
import reports  # noqa: E402, F401


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture
def sample():
    from models import interchange

    return interchange.read(SAMPLE)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "reports.sqlite3"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real filesystem of 512 KB, to be filled up (needs the right to mount one)."""
    where = tmp_path / "disk"
    where.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(where)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def template_folder(tmp_path: Path) -> Iterator[Path]:
    """Templates are installed into (and read from) a folder of the test's own."""
    from models import template_registry

    where = tmp_path / "installed"
    template_registry.use_directory(where)
    yield where
    template_registry.use_directory(None)


@pytest.fixture
def chongqing(template_folder: Path):
    """The shipped Chongqing template: a form of another family (records and row tables)."""
    from models import template_registry

    found = template_registry.find("chongqing-2023")
    assert found is not None and found.flat
    return found
