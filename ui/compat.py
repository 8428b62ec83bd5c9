"""Refuse a Python/PySide6 pair known to crash, before the window opens.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` each time a Qt
call returns an empty value (``QObject.property()``, ``QModelIndex.data()``,
``QLabel.setText`` …) and one to ``True`` each time ``Signal(object)`` carries
``None``. The window makes about 180 such calls per keystroke, so after some
dozens of typed figures Python aborts with ``Fatal Python error: none_dealloc``
and the last edits are lost. On Python 3.12 and later ``None``, ``True`` and
``False`` are immortal and the same library is harmless.

``pyproject.toml`` declares only pairs that work, but a PC may already hold
another PySide6. :func:`probe` measures the fault itself, in well under a
millisecond, rather than trusting a list of versions: whatever pair shows it
is refused with a message the clerk can act on.
"""

from __future__ import annotations

import sys

#: Calls made by the probe; a sound pair loses no reference at all.
PROBE_CALLS = 64


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def probe() -> dict[str, int]:
    """References to None/True/False lost by :data:`PROBE_CALLS` empty Qt returns
    and as many ``Signal(object)`` emissions of None, True and False.

    Gains are harmless (PySide6 6.11 keeps one per destroyed widget); only a
    loss counts. Needs no QApplication.
    """
    from PySide6.QtCore import QObject, Signal

    class _Carrier(QObject):
        carried = Signal(object)

    carrier = _Carrier()
    seen: list[object] = []
    carrier.carried.connect(seen.append)
    before = _counts()
    for _ in range(PROBE_CALLS):
        carrier.property("ziping-probe")
        carrier.carried.emit(None)
        carrier.carried.emit(True)
        carrier.carried.emit(False)
    after = _counts()
    seen.clear()
    carrier.carried.disconnect()
    carrier.deleteLater()
    lost = {name: b - a for name, b, a in zip(("None", "True", "False"), before, after, strict=True)}
    return {name: count for name, count in lost.items() if count > 0}


def versions() -> str:
    import PySide6

    return f"Python {sys.version.split()[0]} + PySide6 {PySide6.__version__}"


class BrokenQt(RuntimeError):
    """The installed PySide6 corrupts Python's reference counts on this Python."""


def refuse_broken_pair() -> None:
    """Raise :class:`BrokenQt` with the clerk's message when :func:`probe` finds a loss."""
    lost = probe()
    # A few references may move for reasons of their own; the fault loses one per call.
    if any(count >= PROBE_CALLS // 2 for count in lost.values()):
        raise BrokenQt(
            f"本机安装的 {versions()} 组合有已知缺陷：程序窗口会在填写几十个数字后突然退出，"
            "未保存的内容会丢失。为保护您的数据，程序窗口不会打开。\n"
            "请重新安装本程序所需的组件（python3 -m pip install -e . 会选择可用的版本：Python 3.11 配 "
            "PySide6 6.11；Python 3.12 及以上可用 PySide6 6.12），或使用随程序发布的安装包。"
            "命令行功能（审核、导出、报送）不受影响。"
        )
