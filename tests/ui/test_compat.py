"""The Python/PySide6 pair: the installed one is sound, a broken one is refused in Chinese."""

from __future__ import annotations

import pytest

from ui import app, compat


def test_the_installed_pair_loses_no_reference():
    # Fails on Python 3.11 + PySide6 6.12.0, the pair that aborted the window after
    # 47-85 typed figures (Fatal Python error: none_dealloc).
    assert compat.probe() == {}, compat.versions()


def test_a_pair_that_loses_references_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(compat, "probe", lambda: {"None": compat.PROBE_CALLS})
    with pytest.raises(compat.BrokenQt) as refused:
        compat.refuse_broken_pair()
    text = str(refused.value)
    assert text.startswith(f"本机安装的 {compat.versions()} 组合有已知缺陷：程序窗口会在填写几十个数字后突然退出")
    assert "命令行功能（审核、导出、报送）不受影响。" in text


def test_the_window_does_not_open_on_a_broken_pair(monkeypatch, capsys):
    monkeypatch.setattr(compat, "probe", lambda: {"True": compat.PROBE_CALLS})
    monkeypatch.delitem(app._loaded, "compat", raising=False)
    shown: list[str] = []
    monkeypatch.setattr(app, "_show_before_exit", shown.append)
    monkeypatch.setattr(app, "create_main_window", lambda *a: pytest.fail("window created"))
    assert app.run(None) == 2
    assert shown and "组合有已知缺陷" in shown[0]
    assert "组合有已知缺陷" in capsys.readouterr().err


def test_a_few_moved_references_are_not_the_fault(monkeypatch):
    monkeypatch.setattr(compat, "probe", lambda: {"None": 3})
    compat.refuse_broken_pair()
