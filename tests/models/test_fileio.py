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
