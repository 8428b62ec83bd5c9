"""Messages are never taller than the screen; a shortened one offers the whole text."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from ui import messages


def test_a_list_of_ten_thousand_shows_twenty_and_counts_the_rest(qtbot, quiet_messages):
    items = [f"第 {i} 行：「坏{i}」不是有效的金额。" for i in range(10_000)]
    messages.problems("粘贴时有 10000 个单元格的内容无法使用：", items)
    shown = quiet_messages.last("error").split("\n")
    assert shown[1:3] == items[:2] and shown[20] == items[19]
    assert shown[-1] == "……另有 9980 处未列出，点「复制全部」可复制完整的清单。"
    assert quiet_messages.details[-1] == "\n".join(["粘贴时有 10000 个单元格的内容无法使用：", *items])


def test_any_long_error_is_bounded_and_a_short_one_left_whole(qtbot, quiet_messages):
    messages.error("标题\n" + "\n".join(f"第 {i} 项" for i in range(500)))
    assert len(quiet_messages.last("error").split("\n")) == 22
    already = "共 30 处问题\n" + "\n".join(f"  {i}. 问题" for i in range(1, 21)) + "\n  ……另有 10 处未列出"
    messages.error(already)
    assert quiet_messages.last("error") == already
    assert len(quiet_messages.details) == 1  # the first message's; this one was whole
    messages.error("一个值：" + "长" * 10_000)
    assert len(quiet_messages.last("error")) == messages.MESSAGE_CHARS


def test_the_box_fits_the_screen_and_copies_the_whole_list(qtbot):
    items = [f"第 {i} 行：「坏{i}」不是有效的金额。" for i in range(10_000)]
    text, whole = messages.bounded("粘贴时有 10000 个单元格的内容无法使用：", items)
    assert whole is not None
    box = messages.message_box("error", text, whole)
    qtbot.addWidget(box)
    box.show()
    assert box.height() < 768  # the 10,001-line box was 360,000 pixels tall
    assert box.detailedText() == whole
    copy = box.findChild(type(box.buttons()[0]), "message.copy_all")
    assert copy is not None and copy.text() == "复制全部"
    QGuiApplication.clipboard().setText("")
    copy.click()
    assert QGuiApplication.clipboard().text() == whole


def test_a_short_message_has_no_copy_button(qtbot):
    box = messages.message_box("info", "已导出。", None)
    qtbot.addWidget(box)
    assert [b.text() for b in box.buttons()] == ["确定"]
    assert box.icon() == QMessageBox.Icon.Information


@pytest.mark.parametrize("ask", [
    messages.confirm,
    lambda q: messages.choose(q, ["载入别处的版本", "以本窗口的内容为准保存"]),
    messages.ask_text,
    lambda q: messages.ask_save_path(q, "报告.pdf", "PDF (*.pdf)"),
    lambda q: messages.ask_open_paths(q, "报告 (*.json)"),
    messages.ask_folder,
])
def test_a_question_no_answer_was_queued_for_fails_the_test_naming_it(qtbot, quiet_messages, ask):
    with pytest.raises(messages.Unanswered, match="删除所选的 3 行？"):
        ask("删除所选的 3 行？")
    # kept too, so a question whose error a caller swallowed still fails the test at its end
    assert quiet_messages.unanswered == ["删除所选的 3 行？"]
    quiet_messages.unanswered.clear()


def test_a_queued_answer_is_the_answer_even_a_no(qtbot, quiet_messages):
    quiet_messages.answers.extend([False, None])
    assert messages.confirm("删除所选的 3 行？") is False
    assert messages.choose("请选择：", ["载入别处的版本", "以本窗口的内容为准保存"]) is None
    assert quiet_messages.unanswered == []
