"""The main window: a tab per section, the findings panel, the menus."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import PROGRAM, form, interchange
from models.errors import ZipingError
from models.money import AMOUNT_STYLES
from models.paper import PAPER
from models.store import Store
from models.template import Template
from ui import look, messages
from ui import session as ops
from ui.findings import FindingsPanel, finding_cells, tab_of
from ui.narrative import NarrativePage
from ui.pages import LazyPage, Page, Section
from ui.scoring import ScoringPage
from ui.session import Session
from ui.tables import SheetView

FINAL_BANNER = "本报告已定稿，只能查看。如需修改，请在「报告」菜单中选择「重新打开（取消定稿）」并说明原因。"
DEFAULT_POINT_SIZE = 11
#: What waits for the window's first paint (the rules left for later, the other tabs, the
#: backup) runs this long after showing if no paint has come (a minimised window).
FIRST_PAINT_WAIT_MS = 300
MIN_POINT_SIZE, MAX_POINT_SIZE = 9, 20

def window_tabs() -> tuple[str, ...]:
    """The window's tabs: the form's, then 评价报告 (Part B) and 自评表 (its 附件2) after them."""
    tabs = list(form.TABS)
    for tab in (form.NARRATIVE.tab, form.SCORING.tab):  # Part B, then its 附件2
        if tab and tab not in tabs:
            tabs.append(tab)
    return tuple(tabs)


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: QSettings) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.settings = settings
        self.store = store
        # The font size first: every widget below is laid out once, in its final size.
        self._set_application_font(self.point_size)
        self.session = session = Session(store, self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, Page | NarrativePage | ScoringPage] = {}
        #: The form the tabs show: the report's own where it is of another family
        #: (:attr:`Report.flat`), None for the program's form.
        self.shape: Template | None = None
        self._make_pages()
        self.banner = QLabel(FINAL_BANNER)
        look.label(self.banner, "finalBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.sample_banner = SampleBanner(self)
        self.sample_banner.new_report.clicked.connect(self.new_own_report)
        self.sample_banner.dismiss.clicked.connect(self.dismiss_sample_banner)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.sample_banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.findings = FindingsPanel(session)
        self.findings.activated.connect(self.go_to_finding)
        self.dock = QDockWidget("审核结果", self)
        self.dock.setObjectName("findings_dock")
        self.dock.setWidget(self.findings)
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)

        bar = self.statusBar()
        self.count_label = QLabel()
        self.save_label = QLabel()
        self.save_label.setObjectName("saveState")
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setObjectName("fingerprint")
        self.fingerprint_label.setToolTip(
            "报告当前内容的数据指纹，与打印出的纸质报告页脚上的 16 位数据指纹相同；内容一改，指纹就变。"
        )
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.fingerprint_label)
        bar.addPermanentWidget(self.save_label)
        messages.set_status_bar(bar)

        self._actions()
        session.opened.connect(self._opened)
        session.saved_state.connect(self._saved_state)
        session.save_failed.connect(self._save_failed)
        self._shown = False
        self._painted = False
        self._after_paint_started = False
        self.backup_thread: Any = None
        session.findings_changed.connect(self._counts)
        self.tabs.tabBarClicked.connect(self._page_at)

        from ui.print_fonts import apply_font_settings, apply_print_settings

        apply_font_settings(settings)
        apply_print_settings(settings)
        messages.use_settings(settings)
        self.session.amounts = amount_style(settings)
        session.form_changed.connect(self._reshape)
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            look.fit_to_screen(self, 1280, 720)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        if state is None:
            # A quarter of the window; the clerk drags its edge for more (the size is kept).
            self.resizeDocks([self.dock], [max(170, self.height() // 4)], Qt.Orientation.Vertical)
        last = settings.value("report/last")
        # The tab shown first is made now, with the report; the others once the window shows.
        self._page_at(self.tabs.currentIndex())
        # The rules that follow the opening wait for the first paint (or, for a window
        # not shown or never painted, a moment).
        session.hold_later = True
        session.ensure_report(int(str(last)) if last not in (None, "") else None)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._release_later)

    # -- the tabs of the report's form ------------------------------------------------

    def _make_pages(self) -> None:
        """A tab per tab of the open report's form: the program's form with its 评价报告
        and 自评表, or the parts of a form of another family, tab by tab."""
        report = self.session.report
        self.shape = report.form if report.flat else None
        tabs = report.form.tabs if report.flat else window_tabs()
        for tab in tabs:
            page: Page | NarrativePage | ScoringPage
            if self.shape is not None:
                page = Page(self.session, tab, report.form.report)
            elif tab == form.NARRATIVE.tab:
                page = NarrativePage(self.session)
            elif tab == form.SCORING.tab:
                page = ScoringPage(self.session)
            else:
                page = Page(self.session, tab)
            self.pages[tab] = page
            self.tabs.addTab(page, tab)

    def _reshape(self) -> None:
        """Another report's form is not the one the tabs show: make the tabs again (the
        tab of the same name stays current). The old pages go at once, before the new
        report's data reaches them."""
        import shiboken6

        report = self.session.report
        if (report.form if report.flat else None) == self.shape:
            return
        current = self.tabs.tabText(self.tabs.currentIndex())
        old = list(self.pages.values())
        self.tabs.blockSignals(True)
        self.tabs.clear()
        self.tabs.blockSignals(False)
        self.pages = {}
        for page in old:
            page.setParent(None)
            shiboken6.delete(page)
        self._make_pages()
        index = list(self.pages).index(current) if current in self.pages else 0
        self.tabs.setCurrentIndex(index)
        self._page_at(index)
        if self._after_paint_started:
            QTimer.singleShot(0, self, self._build_next_page)
        self._form_actions()

    def _form_actions(self) -> None:
        """What only the program's own form has (the 评价报告 as Word) is not offered for a
        report of another form."""
        self.docx_action.setEnabled(self.shape is None)

    def tab_of(self, path: str) -> str | None:
        """The tab a cell path is edited on, in the open report's form."""
        return tab_of(self.session.report, path)

    # -- menus -------------------------------------------------------------------

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(shortcut)
        action.triggered.connect(slot)
        action.setObjectName(name)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _actions(self) -> None:
        menu = self.menuBar().addMenu("报告(&R)")
        self._action(menu, "报告列表…", self.show_reports, QKeySequence("Ctrl+O"), "action_reports")
        self._action(menu, "新建空白报告", lambda: self._run(ops.new_blank, self.session), QKeySequence("Ctrl+N"), "action_new")
        self.new_form_menu = menu.addMenu("按其他表样新建空白报告")
        self.new_form_menu.setObjectName("menu_new_form")
        self.new_form_menu.aboutToShow.connect(self.list_forms)
        # Which other forms there are means reading every template: after the first paint.
        self.new_form_menu.setEnabled(False)
        self._action(menu, "由本报告结转下一年度报告", self.carry_current, None, "action_carry")
        self._action(menu, "复制本报告", self.duplicate_current, None, "action_duplicate")
        self._action(menu, "移到回收站", self.delete_current, None, "action_delete")
        menu.addSeparator()
        self.save_action = self._action(menu, "保存", self.save, QKeySequence("Ctrl+S"), "action_save")
        self._action(menu, "历史版本…", self.show_history, QKeySequence("Ctrl+H"), "action_history")
        self._action(menu, "打印预览…", self.print_preview, None, "action_preview")
        self._action(menu, "打印…", self.print_report, QKeySequence("Ctrl+P"), "action_print")
        self._action(menu, "导出 PDF…", self.export_pdf, None, "action_export_pdf")
        self.docx_action = self._action(menu, "导出 Word（评价报告）…", self.export_docx, None, "action_export_docx")
        self._action(menu, "打印字体…", self.choose_print_fonts, None, "action_print_fonts")
        self._action(menu, "导出 Excel…", self.export_workbook, None, "action_export_xlsx")
        self._action(menu, "从 Excel 导入…", self.import_workbook, None, "action_import_xlsx")
        self._action(menu, "导出…", lambda: self.export(None), QKeySequence("Ctrl+E"), "action_export")
        menu.addSeparator()
        self.final_action = self._action(menu, "定稿", self.mark_final, None, "action_final")
        self.reopen_action = self._action(menu, "重新打开（取消定稿）…", self.reopen, None, "action_reopen")
        menu.addSeparator()
        self._action(menu, "退出", self.close, QKeySequence("Ctrl+Q"), "action_quit")

        menu = self.menuBar().addMenu("报送(&S)")
        self._action(menu, "生成报送包…", self.pack, None, "action_pack")
        menu.addSection("财政汇总")
        self._action(menu, "导入报送包（选择文件）…", self.receive_files, None, "action_receive_files")
        self._action(menu, "导入报送包（整个文件夹）…", self.receive_folder, None, "action_receive_folder")
        self._action(menu, "核对纸质报告…", self.check_paper, None, "action_paper")
        self._action(menu, "汇总…", self.show_summary, None, "action_summary")

        menu = self.menuBar().addMenu("工具(&T)")
        self._action(menu, "安装表样模板…", self.install_template, None, "action_install_template")

        menu = self.menuBar().addMenu("编辑(&E)")
        self.undo_action = self.session.undo_stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.setObjectName("action_undo")
        self.redo_action = self.session.undo_stack.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.redo_action.setObjectName("action_redo")
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            menu.addAction(action)
            self.addAction(action)

        menu = self.menuBar().addMenu("视图(&V)")
        self._action(menu, "放大字号", lambda: self.apply_font_size(self.point_size + 1), [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")], "action_font_bigger")
        self._action(menu, "缩小字号", lambda: self.apply_font_size(self.point_size - 1), QKeySequence("Ctrl+-"), "action_font_smaller")
        self._action(menu, "默认字号", lambda: self.apply_font_size(DEFAULT_POINT_SIZE), QKeySequence("Ctrl+0"), "action_font_default")
        amounts = menu.addMenu("金额显示")
        amounts.setObjectName("menu_amounts")
        group = QActionGroup(self)
        self.amount_actions: dict[str, QAction] = {}
        for key, label in AMOUNT_STYLES.items():
            action = QAction(label, self)
            action.setCheckable(True)
            action.setObjectName(f"action_amounts_{key}")
            action.setChecked(key == amount_style(self.settings))
            action.triggered.connect(lambda _=False, key=key: self.set_amounts(key))
            group.addAction(action)
            amounts.addAction(action)
            self.amount_actions[key] = action
        menu.addSeparator()
        toggle = self.dock.toggleViewAction()
        toggle.setText("审核结果面板")
        menu.addAction(toggle)

    def list_forms(self) -> None:
        """按其他表样新建: one item per form of another family, installed or shipped."""
        self.new_form_menu.clear()
        others = ops.families()[1:]
        for template in others:
            action = QAction(template.name, self.new_form_menu)
            action.setObjectName(f"action_new:{template.id}")
            action.setToolTip(f"表样模板 {template.id} 版本 {template.version}")
            action.triggered.connect(lambda _=False, t=template: self.new_report(t))
            self.new_form_menu.addAction(action)
        self.new_form_menu.setEnabled(bool(others))

    def new_report(self, template: Template | None = None) -> int | None:
        """A blank report in ``template``'s form (None: the program's own), opened."""
        report_id = self._run(ops.new_blank, self.session, template)
        if report_id is not None:
            self.tabs.setCurrentIndex(0)
        return report_id

    # -- state ---------------------------------------------------------------------

    def _run(self, fn: Any, *args: Any) -> Any:
        return messages.attempt(fn, *args, parent=self)

    def _opened(self) -> None:
        info = self.session.info
        if self.session.report_id is not None:
            self.settings.setValue("report/last", self.session.report_id)
        store_readonly = self.session.store.readonly
        newer = self.session.report.readonly_reason
        if newer:
            self.banner.setText(newer)
        elif store_readonly:
            self.banner.setText(
                f"数据库文件「{self.session.store.path}」是只读的：报告只能查看，不能修改（修改无法保存）。"
                "请检查文件权限或所在的磁盘（如只读的 U 盘），或把它复制到可写的文件夹后用 --db 打开。"
            )
        else:
            self.banner.setText(FINAL_BANNER)
        self.banner.setVisible(self.session.readonly)
        self._sample_banner()
        self.final_action.setEnabled(not self.session.readonly)
        self.save_action.setEnabled(not self.session.readonly)
        self.reopen_action.setEnabled(self.session.final and not store_readonly)
        self._title()
        issue = interchange.other_issue_note(self.session.report)
        if newer:
            messages.status("这份报告由更新版本的程序或表样模板生成，只能查看，不能修改。", 15000)
        elif issue:
            messages.status(issue, 15000)
        elif store_readonly:
            messages.status(ops.READONLY_MESSAGE, 15000)
        elif info is not None and self.session.readonly:
            messages.status("本报告已定稿，只能查看；如需修改请「重新打开」。", 15000)

    def _title(self) -> None:
        r = self.session.report
        name = r.dept_name or "（未填写部门名称）"
        year = f" {r.year}年度" if r.year else ""
        status = self.session.info.status_label if self.session.info else ""
        if self.session.store.readonly or self.session.report.readonly_reason:
            status += "，只读"
        which = f" — {r.form.name}" if r.flat else ""  # a form of another family says which
        self.setWindowTitle(f"{name}{year}（{status}）[*]{which} — {PROGRAM}")

    def _save_failed(self, text: str) -> None:
        self.save_label.setText(text)
        self.save_label.setToolTip(self.session.failure or "")
        look.failed(self.save_label, True)

    def _saved_state(self, saved: bool) -> None:
        if saved and self.save_label.property("failed"):
            look.failed(self.save_label, False)
            self.save_label.setToolTip("")
        self.setWindowModified(not saved)
        if saved and self.session.info is not None:
            stamp = self.session.info.updated_at[11:19]
            self.save_label.setText(f"已保存 {stamp}")
            # The store fingerprints what it saves; the paper prints it (printing saves first).
            self.fingerprint_label.setText(f"数据指纹 {self.session.info.fingerprint}")
        elif not saved:
            if not self.save_label.property("failed"):
                self.save_label.setText("正在保存…")
            self.fingerprint_label.setText("数据指纹 （保存后更新）")
        self._title()

    def _counts(self) -> None:
        errors, warnings = self.findings.counts()
        explained = sum(1 for f in self.session.findings if f.severity == "error" and f.explanation)
        text = f"错误 {errors} 项，警告 {warnings} 项"
        if explained:
            text += f"（{explained} 项错误已说明）"
        self.count_label.setText(text)
        self.dock.setWindowTitle(f"审核结果：{text}（双击一项转到单元格）")

    # -- the shipped sample, amounts ------------------------------------------------------

    def _sample_banner(self) -> None:
        hidden = str(self.settings.value("sample/banner_hidden", "")) == "true"
        # Not on a read-only report: its own banner says what it is (and on a read-only
        # database nothing new can be made).
        shown = self.session.is_sample and not hidden and not self.session.readonly
        self.sample_banner.setVisible(shown)
        self.sample_banner.new_report.setEnabled(shown)

    def new_own_report(self) -> None:
        """「新建本单位报告」: a blank report of the clerk's own, opened in place of the sample."""
        if self._run(ops.new_blank, self.session) is not None:
            self.tabs.setCurrentIndex(0)
            messages.status("已新建空白报告：请从「封面」开始填写本单位的内容。样例报告仍在「报告列表」中。")

    def dismiss_sample_banner(self) -> None:
        self.settings.setValue("sample/banner_hidden", "true")
        self.sample_banner.hide()

    def set_amounts(self, style: str) -> None:
        """金额显示: as typed, or two decimals with thousands separators, on screen and on paper."""
        from ui.print_fonts import apply_print_settings

        self.settings.setValue("view/amounts", style)
        self.session.amounts = style
        self.amount_actions[style].setChecked(True)
        apply_print_settings(self.settings)
        self.session.changed.emit(None)

    # -- pages --------------------------------------------------------------------

    def _page_at(self, index: int) -> QWidget | None:
        page = self.tabs.widget(index)
        if isinstance(page, LazyPage):
            page.build()
        return page

    def pages_built(self) -> bool:
        return all(page.built for page in self.pages.values())

    def build_pages(self) -> None:
        """Make every tab's widgets now (they are otherwise made one a turn after showing)."""
        for page in self.pages.values():
            page.build()

    def _build_next_page(self) -> None:
        waiting = [page for page in self.pages.values() if not page.built]
        if waiting:
            waiting[0].build()
            if len(waiting) > 1:
                QTimer.singleShot(0, self, self._build_next_page)

    # -- fonts ----------------------------------------------------------------------

    @property
    def point_size(self) -> int:
        try:
            size = int(str(self.settings.value("font/point_size", DEFAULT_POINT_SIZE)))
        except ValueError:
            size = DEFAULT_POINT_SIZE
        return max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size))

    @staticmethod
    def _set_application_font(size: int) -> None:
        app = QApplication.instance()
        font = QFont(app.font())  # type: ignore[union-attr]
        if font.pointSize() != size:
            font.setPointSize(size)
            app.setFont(font)  # type: ignore[union-attr]  # every widget follows: no style sheet holds sizes

    def apply_font_size(self, size: int) -> None:
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, int(size)))
        self.settings.setValue("font/point_size", size)
        self._set_application_font(size)
        QApplication.sendPostedEvents()  # the new font reaches every widget before the sizes below
        look.resize_texts(self)
        for section in self.findChildren(Section):
            section.relayout()

    # -- navigation ---------------------------------------------------------------------

    def go_to(self, path: str) -> bool:
        tab = self.tab_of(path)
        page = self.pages.get(tab) if tab else None
        if page is None:
            return False
        page.build()
        self.tabs.setCurrentWidget(page)
        if isinstance(page, (NarrativePage, ScoringPage)):
            return page.go_to(path)
        for view in page.views.values():
            idx = view.cells.index_of(path)
            if idx.isValid():
                view.setCurrentIndex(idx)
                view.scrollTo(idx)
                view.setFocus()
                return True
        widget = page.fields.get(path)
        if widget is not None:
            widget.setFocus()
            scroll = page.findChild(QScrollArea)
            if scroll is not None:
                scroll.ensureWidgetVisible(widget)
            return True
        return False

    def go_to_finding(self, finding: Any) -> None:
        for cell in finding_cells(finding):
            if self.go_to(cell):
                return
        messages.status("这一项涉及的单元格已不在表中，请核对后重新审核。")

    def view(self, name: str) -> SheetView:
        self.build_pages()
        view = self.findChild(SheetView, name)
        assert view is not None, name
        return view

    def field(self, path: str) -> QWidget:
        self.build_pages()
        widget = self.findChild(QWidget, path)
        assert widget is not None, path
        return widget

    # -- report operations ------------------------------------------------------------------

    def save(self) -> None:
        if self.session.readonly:
            messages.status("本报告已定稿，无需保存。")
            return
        if self.session.save("manual"):
            messages.status("已保存。")

    def export(self, extension: str | None) -> None:
        """Write the report as PDF, workbook, data file or handover package."""
        from reports.formats import FORMATS, write_report

        formats = [f for f in FORMATS.values() if f.render is not None]
        if extension is not None:
            formats = [f for f in formats if f.extension == extension]
        filters = ";;".join(f"{f.label} (*{f.extension})" for f in formats)
        r = self.session.report
        what = form.PART_B_TITLE if extension == ".docx" else r.form.title if r.flat else PAPER.short_title
        name = f"{r.dept_name or '报告'}{r.year or ''}年度{what}{formats[0].extension}"
        path = messages.ask_save_path("打印（生成 PDF）" if extension == ".pdf" else "导出", name, filters, self)
        if not path:
            return
        self.session.flush()
        try:
            from ui.printing import chosen_options

            options = chosen_options() if path.lower().endswith(".pdf") else None
            write_report(self.session.report, path, options=options)
        except ZipingError as exc:
            messages.error(exc, self)
            return
        messages.status(f"已生成「{path}」。")

    def export_docx(self) -> None:
        """导出 Word: the 评价报告 as a .docx the clerk goes on editing."""
        self.session.issued("导出 Word")
        self.export(".docx")

    def choose_print_fonts(self) -> None:
        from ui import printing

        printing.choose_fonts(self.settings, self)

    def print_preview(self) -> None:
        """打印预览 of the report as it is now, unsaved changes included."""
        from ui import printing

        self.session.issued("打印预览")
        printing.preview(self.session.report, self)

    def print_report(self) -> None:
        from ui import printing

        self.session.issued("打印")
        printing.print_report(self.session.report, self)

    def export_pdf(self) -> None:
        from ui import printing

        self.session.issued("导出 PDF")
        printing.save_pdf(self.session.report, self)

    def export_workbook(self) -> None:
        from ui import handover

        self.session.issued("导出 Excel")
        handover.export_workbook(self.session.report, self)

    def import_workbook(self) -> None:
        from ui import handover

        handover.import_workbook(self.session, self)

    def install_template(self) -> None:
        """Check and install a template file a finance bureau issued (see models.template)."""
        from models import template_registry

        paths = messages.ask_open_paths("安装表样模板", "表样模板 (*.toml)", self)
        if paths:
            result = self._run(template_registry.install, paths[0])
            if result is not None:
                messages.info(template_registry.installed_text(*result), self)

    def pack(self) -> None:
        from ui import handover

        handover.pack(self.session, self)

    def receive_files(self) -> None:
        from ui import handover

        paths = messages.ask_open_paths("导入报送包", "报送包 (*.zpb)", self, many=True)
        if paths:
            handover.receive_packages(self.session, paths, self)

    def receive_folder(self) -> None:
        from ui import handover

        folder = messages.ask_folder("导入报送包：选择存放报送包的文件夹（如 U 盘）", self)
        if folder:
            handover.receive_packages(self.session, [folder], self)

    def check_paper(self) -> None:
        from ui.handover import PaperDialog

        messages.run_dialog(PaperDialog(self.session, self))

    def show_summary(self) -> None:
        from ui.handover import SummaryDialog

        self.session.flush()
        messages.run_dialog(SummaryDialog(self.session, None, self))

    def carry_current(self) -> None:
        from ui.dialogs import carry_over

        if self.session.report_id is not None:
            carry_over(self.session, self.session.report_id, self)

    def duplicate_current(self) -> None:
        if self.session.report_id is not None:
            if self._run(ops.duplicate, self.session, self.session.report_id):
                messages.status("已复制为新报告。")

    def delete_current(self) -> None:
        from ui.dialogs import ask_delete

        if self.session.report_id is None:
            return
        go, reason = ask_delete(self.session, self.session.report_id, self)
        if go:
            self._run(ops.delete, self.session, self.session.report_id, reason)

    def mark_final(self) -> None:
        if self._run(ops.mark_final, self.session):
            messages.info("报告已定稿。定稿后只能查看；如需修改请「重新打开」并说明原因。", self)

    def reopen(self) -> None:
        reason = messages.ask_text("重新打开已定稿的报告，请说明原因（会被记录）：", self)
        if reason is None:
            return
        self._run(ops.reopen, self.session, reason)
        if not self.session.readonly:
            messages.status("报告已重新打开，可以修改。")

    def show_reports(self) -> None:
        from ui.dialogs import ReportsDialog

        ReportsDialog(self.session, self).exec()

    def show_history(self) -> None:
        from ui.dialogs import HistoryDialog

        if self.session.report_id is not None:
            self.session.flush()
            HistoryDialog(self.session, self).exec()

    # -- a later start on the same database ------------------------------------------------

    def take_request(self, request: dict) -> None:
        """Another start on this database handed over to this window: come to the front,
        and open the file it was given, if any."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        path = request.get("open")
        if isinstance(path, str) and path:
            self.open_file(path)

    def open_file(self, path: str) -> int | None:
        """A report file given at start (double-clicked): import it as a new report and open it."""
        from pathlib import Path

        from reports.formats import read_report
        from ui import handover

        file = Path(path)
        if file.suffix.lower() == ".xlsx":
            return handover.import_workbook(self.session, self, path=file)
        try:
            report = read_report(file)
        except ZipingError as exc:
            messages.error(exc, self)
            return None
        title = f"{report.dept_name or '（未填写部门名称）'} {report.year or ''}年度"
        if not messages.confirm(f"把「{file.name}」（{title}）导入并打开？", self):
            return None
        return handover.import_report(self.session, file, report, f"导入自 {file.name}", self)

    # -- after the window is shown --------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._shown:
            # The rest waits for the first paint: a window on screen first, then the rules
            # left for later, the other tabs and the backup (see paintEvent).
            self._shown = True
            QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._after_first_paint)
        elif not self.pages_built():
            QTimer.singleShot(0, self, self._build_next_page)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _release_later(self) -> None:
        if self.session.hold_later:
            self.session.hold_later = False
            self.session.recheck_waiting()

    def _after_first_paint(self) -> None:
        """Once, on the first paint (or a moment after showing, if none came): the rules
        held back, then the other tabs one a turn, and what follows the first show."""
        if self._after_paint_started:
            return
        self._after_paint_started = True
        self._release_later()
        if not self.pages_built():
            QTimer.singleShot(0, self, self._build_next_page)
        QTimer.singleShot(0, self, self._after_first_show)

    def _after_first_show(self) -> None:
        """What must not delay the first window: the daily backup (in a thread, with a
        connection of its own), the forms of other families offered in the menu and the
        word about a report that could not be opened."""
        import threading

        from models.store import backup_if_due

        if not self.session.store.readonly:
            self.backup_thread = threading.Thread(
                target=backup_if_due, args=(self.session.store.path,), name="daily-backup", daemon=True
            )
            self.backup_thread.start()
        self.list_forms()
        for report_id, problem in list(self.session.damaged.items()):
            from ui.dialogs import offer_repair

            offer_repair(self.session, report_id, problem, self)

    # -- closing ----------------------------------------------------------------------

    def may_close(self) -> bool:
        """Whether the window may close: everything saved, or the clerk has chosen what
        becomes of what could not be saved. Unsaved edits are never dropped silently."""
        while not self.session.flush(ask=True):
            choice = messages.choose(_unsaved_question(self), UNSAVED_CHOICES, self)
            if choice == 0 and self.save_unsaved_as_json():
                return True
            if choice == 2 and messages.confirm("确定不保存就关闭窗口吗？本窗口中未保存的修改将会丢失。", self):
                return True
            if choice is None:
                return False
        return True

    def save_unsaved_as_json(self) -> Any:
        """Write the report as the window holds it to a .json file the clerk chooses."""
        report = self.session.report
        name = f"{report.dept_name or '报告'}{report.year or ''}年度（未保存的修改）.json"
        return messages.save_file(
            "另存未保存的内容",
            name,
            "报告数据文件 (*.json)",
            lambda: interchange.dumps(report).encode("utf-8"),
            "已把未保存的内容另存为「{target}」，可用「导入」读回。",
            self,
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.may_close():
            event.ignore()
            return
        self.session.stop()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        messages.set_status_bar(None)
        super().closeEvent(event)


UNSAVED_CHOICES = ["另存为 .json 文件…", "再试一次保存", "不保存，关闭窗口"]


def _unsaved_question(window: MainWindow) -> str:
    reason = window.session.failure or "数据库暂时无法写入"
    return (
        f"本报告还有修改没有保存：{reason}\n\n"
        "可以把当前内容另存为一个 .json 文件（报告数据文件，以后可用「导入」读回），或再试一次保存。"
    )


def amount_style(settings: QSettings) -> str:
    style = str(settings.value("view/amounts", "typed"))
    return style if style in AMOUNT_STYLES else "typed"


SAMPLE_TEXT = "这是随程序附带的样例报告（吉首市科工信局 2023 年度，保留了原件中的计算错误），供熟悉程序使用。"


class SampleBanner(QFrame):
    """Above the tabs while the shipped sample is open: says so, and offers a new report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sampleBanner")
        self.setStyleSheet("QFrame#sampleBanner { background: #e3f0ff; border-bottom: 1px solid #9ab8e0; }"
                           " QLabel#sampleText { color: #1f3a5f; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 8, 4)
        self.text = QLabel(SAMPLE_TEXT)
        self.text.setObjectName("sampleText")
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.new_report = QPushButton("新建本单位报告")
        self.new_report.setObjectName("sample.new_report")
        self.new_report.setToolTip("新建一份空白报告并打开，从「封面」开始填写（Ctrl+N）")
        row.addWidget(self.new_report)
        self.dismiss = QToolButton()
        self.dismiss.setObjectName("sample.dismiss")
        self.dismiss.setText("不再提示")
        self.dismiss.setToolTip("不再显示这条提示")
        self.dismiss.setAutoRaise(True)
        row.addWidget(self.dismiss)
        self.hide()


def current_page(window: MainWindow) -> QWidget:
    return window.tabs.currentWidget()
