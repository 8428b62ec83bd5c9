"""Writing files so that a failure never leaves a half-written one behind.

The file is written to a temporary name in the same folder, flushed to disk,
then renamed over the target in one step. If the disk is full or the medium
disappears midway, the clerk is told plainly and any earlier file of the same
name is intact. A temporary file left by a write that was killed midway is
removed by the next write into that folder (:func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from models.errors import FileWriteError, InputError

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘空间配额已用完",
    errno.EROFS: "磁盘是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EIO: "磁盘读写错误（U 盘是否已拔出？）",
    errno.ENOENT: "文件夹不存在（U 盘是否已拔出？）",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EISDIR: "目标是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EBUSY: "文件正被其他程序使用",
    errno.ETXTBSY: "文件正被其他程序使用",
    errno.EEXIST: "已有同名的文件",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.ENODEV: "设备不存在（U 盘是否已拔出？）",
    errno.ENXIO: "设备不存在（U 盘是否已拔出？）",
    errno.EINVAL: "文件名中有系统不允许的字符",
    errno.ELOOP: "路径中的链接过多",
    errno.EFBIG: "文件过大",
    errno.ENOMEM: "内存不足",
    errno.ETIMEDOUT: "磁盘没有响应（网络磁盘是否已断开？）",
}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    # Python keeps each byte of a file name that is not UTF-8 as U+DC80..U+DCFF.
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def shown(name: str | os.PathLike[str] | bytes) -> str:
    """A file name or path as a clerk can read it, and as a file or database can hold it.

    A name that is not valid UTF-8 (a GBK name written by a Windows zip tool,
    read on a Linux stick) keeps its undecodable bytes escaped: ``2023_\\xb2\\xe2.zpb``.
    """
    if isinstance(name, bytes):
        return name.decode("utf-8", "backslashreplace")
    text = os.fspath(name)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    return _SURROGATE.sub(_escape_surrogate, text)


def log_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("ziping", appauthor=False)) / "ziping.log"


#: The log is kept under about this size; earlier ones stay as ziping.log.1 … .LOG_KEPT.
LOG_MAX_BYTES = 1 << 20
LOG_KEPT = 3
#: The open log that a fatal crash is written to (see :func:`log_fatal_crashes`).
_crash_log: dict[str, Any] = {}


def _rotate(path: Path) -> None:
    """Start a new log when this one is full; the oldest beyond LOG_KEPT goes."""
    try:
        if path.stat().st_size < LOG_MAX_BYTES:
            return
        for i in range(LOG_KEPT, 0, -1):
            newer = path.with_name(f"{path.name}.{i - 1}") if i > 1 else path
            if newer.exists():
                os.replace(newer, path.with_name(f"{path.name}.{i}"))
    except OSError:
        return  # a log that cannot be rotated (open elsewhere on Windows) keeps growing a while
    if _crash_log.get("path") == path:
        _open_crash_log(path)  # the crash handler follows to the new file


def _open_crash_log(path: Path) -> None:
    import faulthandler

    handle = path.open("a", encoding="utf-8", errors="backslashreplace")
    faulthandler.enable(file=handle, all_threads=True)
    old = _crash_log.get("handle")
    # Kept open (and referenced) for the life of the process: faulthandler writes to its descriptor.
    _crash_log.update(path=path, handle=handle)
    if old is not None:
        old.close()


def log_fatal_crashes(path: Path | None = None) -> Path | None:
    """Have a fatal crash (a segmentation fault, an abort, a fatal Python error) leave
    its traceback in the log, after a line saying when this process started.

    For the window, which has no console: without this a crash leaves nothing.
    Returns the log's path, or None when it cannot be opened (the program runs on).
    """
    from datetime import datetime

    try:
        path = path or log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        _rotate(path)
        _open_crash_log(path)
        handle = _crash_log["handle"]
        handle.write(f"\n=== {datetime.now().isoformat(timespec='seconds')} window started (pid {os.getpid()});"
                     " a fatal error below, before the next such line, ended it\n")
        handle.flush()
        return path
    except Exception:  # noqa: BLE001 - logging must never stop the program
        return None


def log_bug(context: str, error: BaseException | None = None, path: Path | None = None) -> Path | None:
    """Append an exception (by default the one being handled) to the log a clerk can
    hand to support; return the log's path, or None if it could not be written."""
    import traceback
    from datetime import datetime

    try:
        path = path or log_path()
        text = "".join(traceback.format_exception(error)) if error is not None else traceback.format_exc()
        path.parent.mkdir(parents=True, exist_ok=True)
        _rotate(path)
        with path.open("a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(f"\n=== {datetime.now().isoformat(timespec='seconds')} {context}\n")
            log.write(text)
        return path
    except Exception:  # noqa: BLE001 - logging must never raise in its turn
        return None


def describe(exc: OSError) -> str:
    """A Chinese reason for an operating-system error (never the system's English)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    if isinstance(exc, PermissionError):
        return "没有权限"
    if isinstance(exc, FileNotFoundError):
        return "文件或文件夹不存在"
    return f"系统错误（错误号 {exc.errno}）" if exc.errno is not None else "系统错误"


def is_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder; False for what cannot be looked at (a name too
    long for the system, a stick pulled out): writing there then says why."""
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def read_input(path: str | Path, limit: int, kind: str) -> bytes:
    """The bytes of a file the user names, refused with one clear message when it
    is missing, a folder, unreadable or larger than any ``kind`` could be."""
    p = Path(path)
    name = shown(path)
    try:
        size = p.stat().st_size
        if size > limit:
            raise InputError(f"文件「{name}」过大（{size / 1024 / 1024:.0f} MB），不是{kind}。")
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件「{name}」，请检查路径。") from None
    except IsADirectoryError:
        raise InputError(f"「{name}」是文件夹，不是{kind}。") from None
    except PermissionError:
        raise InputError(f"没有权限读取文件「{name}」。") from None
    except OSError as exc:
        raise InputError(f"读取文件「{name}」失败：{describe(exc)}。") from None


#: Temporary files are named ``.~{target}~zp{pid}-{host}-{random}.tmp``: whose they are,
#: and which process on which machine wrote them, can be told from the name alone.
_TMP_MARK = "~zp"
_OURS = re.compile(r"^\.~.*~zp(\d{1,10})-([0-9a-f]{8})-[a-z0-9_]{8}\.tmp$", re.DOTALL)
#: What earlier versions named them: ``.~{target}{random}.tmp``, the target's extension visible.
_EARLIER = re.compile(r"^\.~.*\.(zpb|pdf|xlsx|json)[a-z0-9_]{8}\.tmp$", re.DOTALL | re.IGNORECASE)
#: A temporary file of ours untouched this long is left over: its writer was killed
#: or the stick pulled out. A package is written in seconds, even to a slow stick.
STALE_SECONDS = 10 * 60


def _host_tag() -> str:
    import socket

    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _running(pid: int) -> bool:
    """Whether a process of this id runs here (on Windows: assumed, the age decides)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_stale_temporaries(folder: str | Path, now: float | None = None) -> list[str]:
    """Remove the temporary files of ours left in ``folder`` by a write that never
    finished (the program was killed, the machine lost power): those whose writer
    on this machine is gone, and any untouched for :data:`STALE_SECONDS`. Files of
    other programs, and ours still being written, are left alone. Returns the
    names removed; a folder that cannot be listed removes nothing."""
    import time

    now = time.time() if now is None else now
    host = _host_tag()
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        ours = _OURS.match(name)
        if not ours and not _EARLIER.match(name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            writer_gone = ours is not None and ours.group(2) == host and not _running(int(ours.group(1)))
            if writer_gone or age > STALE_SECONDS:
                os.unlink(entry.path)
                removed.append(name)
        except OSError:
            continue  # in use, read-only, already gone: it stays until next time
    return removed


def write_atomic(path: str | Path, data: bytes, *, verify: bool = False) -> None:
    """Write ``data`` to ``path`` all or nothing.

    With ``verify`` the written file is read back and compared before it takes
    the target's name. Where the system lets us drop its cached copy first
    (Linux, macOS), the read comes from the disk, so a USB stick that accepted
    the bytes but did not keep them is caught here; on Windows the read may be
    served from the cache and proves only that the whole file was written.
    """
    target = Path(path)
    shown_target = shown(target)
    if is_folder(target):
        raise FileWriteError(f"无法写入「{shown_target}」：目标是一个文件夹。")
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temporaries(folder)
    tmp_name = None
    try:
        prefix = f".~{target.name[:40]}{_TMP_MARK}{os.getpid()}-{_host_tag()}-"
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
        os.chmod(tmp_name, _mode_for(target))  # mkstemp makes 0600; a document is the user's usual 0644
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if verify:
            _drop_cache(tmp_name)
            with open(tmp_name, "rb") as check:
                if hashlib.sha256(check.read()).digest() != hashlib.sha256(data).digest():
                    raise FileWriteError(
                        f"写入「{shown_target}」后读回核对不一致：磁盘或 U 盘可能有问题。"
                        "文件没有写成；原有的同名文件（如有）未受影响。请换一个 U 盘再试。"
                    )
        os.replace(tmp_name, target)
        tmp_name = None
        _sync_folder(folder)
    except OSError as exc:
        raise FileWriteError(
            f"无法写入「{shown_target}」：{describe(exc)}。文件没有写成；原有的同名文件（如有）未受影响。"
        ) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _mode_for(target: Path) -> int:
    """The permissions a new file gets: the old file's, else the usual ones under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _drop_cache(name: str) -> None:
    """Ask the system to forget its cached copy, so a read-back reads the disk."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    try:
        fd = os.open(name, os.O_RDONLY)
    except OSError:
        return
    try:
        advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
