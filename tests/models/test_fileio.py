"""Writing files: what a write killed midway leaves behind is cleared by the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from main import main
from models import fileio
from models.store import Store
from tests.helpers import explain_errors

ROOT = Path(__file__).resolve().parent.parent.parent

#: A pack that hangs once its temporary file is on the stick (fsync of it never returns).
HANGING_PACK = """
import os, sys, time
sys.path.insert(0, {root!r})
real_fsync = os.fsync

def fsync(fd):
    if os.readlink(f"/proc/self/fd/{{fd}}").startswith({folder!r}):
        time.sleep(3600)
    real_fsync(fd)

os.fsync = fsync
from main import main
main(["pack", "1", {folder!r}, "--db", {db!r}])
"""


def _temporaries(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".~"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the file being written in /proc")
def test_kill_9_during_pack_leaves_a_temporary_that_the_next_pack_removes(tmp_path, sample, db_path) -> None:
    with Store(db_path) as store:
        store.create(explain_errors(sample.copy()))
    stick = tmp_path / "U盘"
    stick.mkdir()
    script = HANGING_PACK.format(root=str(ROOT), folder=str(stick), db=str(db_path))
    child = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        for _ in range(600):
            if _temporaries(stick) or child.poll() is not None:
                break
            time.sleep(0.1)
        assert child.poll() is None, "the pack finished instead of hanging"
        [left] = _temporaries(stick)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert left.startswith(".~2023_吉首市科工信局_绩效自评.zpb~zp") and left.endswith(".tmp")
    assert _temporaries(stick) == [left]  # kill -9: nothing cleans up
    foreign = [".~lock.汇总表.xlsx#", ".~其他程序.tmp", "~$报告.xlsx"]
    for name in foreign:
        (stick / name).write_bytes(b"not ours")
    assert main(["pack", "1", str(stick), "--db", str(db_path)]) == 0
    assert sorted(os.listdir(stick)) == sorted(["2023_吉首市科工信局_绩效自评.zpb", *foreign])


def test_only_stale_temporaries_of_ours_are_removed(tmp_path) -> None:
    host = fileio._host_tag()
    now = time.time()
    live = f".~a.zpb~zp{os.getpid()}-{host}-abcd1234.tmp"  # being written by this very process
    other_host = ".~a.zpb~zp1-00000000-abcd1234.tmp"  # another machine's, on a shared stick
    earlier_fresh = ".~2023_部门_绩效自评.zpbq7w_x2k9.tmp"  # an earlier version's name, just written
    earlier_old = ".~2023_部门_绩效自评.zpbz8y7x6w5.tmp"
    foreign_old = ".~report.docxabcd1234.tmp"  # not a file this program writes
    for name in (live, other_host, earlier_fresh, earlier_old, foreign_old):
        (tmp_path / name).write_bytes(b"x")
    hour_ago = now - 3600
    for name in (earlier_old, foreign_old):
        os.utime(tmp_path / name, (hour_ago, hour_ago))
    assert fileio.remove_stale_temporaries(tmp_path, now) == [earlier_old]
    assert _temporaries(tmp_path) == sorted([live, other_host, earlier_fresh, foreign_old])
    later = now + fileio.STALE_SECONDS + 1
    assert sorted(fileio.remove_stale_temporaries(tmp_path, later)) == sorted([live, other_host, earlier_fresh])
    assert _temporaries(tmp_path) == [foreign_old]


def test_the_log_is_rotated_and_a_few_kept(tmp_path) -> None:
    log = tmp_path / "ziping.log"
    big = "x" * 4000 + "\n"
    for i in range(1200):
        try:
            raise RuntimeError(f"boom {i}\n{big}")
        except RuntimeError:
            assert fileio.log_bug(f"test {i}", path=log) == log
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["ziping.log", "ziping.log.1", "ziping.log.2", "ziping.log.3"]
    for p in tmp_path.iterdir():
        assert p.stat().st_size < fileio.LOG_MAX_BYTES + 10_000
    assert "boom 1199" in log.read_text(encoding="utf-8")


CRASHING = """
import sys
sys.path.insert(0, {root!r})
import faulthandler
from models.fileio import log_fatal_crashes
log_fatal_crashes()
faulthandler._sigsegv()
"""


def _crash_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZIPING_SETTINGS": str(tmp_path / "settings.ini")}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(tmp_path / var.lower())
    return env


def _log_in(tmp_path: Path) -> Path:
    [log] = list(tmp_path.rglob("ziping.log"))
    return log


def test_a_fatal_crash_leaves_its_lines_in_the_log(tmp_path) -> None:
    done = subprocess.run([sys.executable, "-c", CRASHING.format(root=str(ROOT))], env=_crash_env(tmp_path),
                          capture_output=True, timeout=60, check=False)
    assert done.returncode != 0
    text = _log_in(tmp_path).read_text(encoding="utf-8")
    assert "window started (pid" in text
    assert "Fatal Python error: Segmentation fault" in text
    assert "line 7" in text  # the crashing line of the script
