"""审核: the rules a report's figures must satisfy.

Every rule runs on every check and every finding is collected (none stops at
the first). A finding is data: the rule's id, its severity, the cells it
concerns and a message in plain Chinese that states both figures and the
difference. Money is compared exactly, in ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models import form
from models.form import RULES_BY_ID, SUMMARY_LABEL, InstitutionRows, institution_label
from models.money import add, format_decimal
from models.report import Report


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    cells: tuple[str, ...]
    message: str
    explanation: str | None = None

    @property
    def severity_label(self) -> str:
        return form.SEVERITY_LABELS[self.severity]

    @property
    def blocking(self) -> bool:
        """An error with no explanation blocks marking the report final."""
        return self.severity == "error" and not self.explanation

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "cells": list(self.cells),
            "message": self.message,
        }
        if self.explanation:
            out["explanation"] = self.explanation
        return out


def _fmt(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else "（空）"


def _difference(stated: Decimal, computed: Decimal, name: str) -> str:
    diff = stated - computed
    word = "多" if diff > 0 else "少"
    return f"相差 {format_decimal(abs(diff))}（{name}{word} {format_decimal(abs(diff))}）"


def _sum_text(table: InstitutionRows, row: dict[str, Any], parts: tuple[str, ...]) -> str:
    labels = {c.key: c.label for c in table.columns}
    present = [(labels[p], row[p]) for p in parts if row[p] is not None]
    if not present:
        return "各组成项均未填写（按 0 计）"
    return " + ".join(f"{label} {format_decimal(v)}" for label, v in present)


def _table_title(table: InstitutionRows) -> str:
    return table.label.replace("（万元）", "")


@dataclass
class _Draft:
    """A finding being put together: its cells, message and the row's figures."""

    cells: list[str]
    message: str
    figures: tuple[Any, ...]

    def fold(self, echo: _Draft, note: str) -> None:
        """Take in the summary row's finding that only repeats this one."""
        self.cells.extend(c for c in echo.cells if c not in self.cells)
        self.message += note


class _Checker:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.findings: list[Finding] = []

    def add(self, rule: str, cells: list[str], message: str) -> None:
        info = RULES_BY_ID[rule]
        key = tuple(cells)
        self.findings.append(
            Finding(rule, info.severity, key, message, self.report.explanation(rule, key))
        )

    # -- the institution tables ---------------------------------------------------

    def table_rows(self, table: InstitutionRows) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(row id, label, row as shown) for each institution, then the summary."""
        for i, (name, row) in enumerate(
            zip(self.report.institutions, self.report.data[table.key], strict=True)
        ):
            yield str(i), institution_label(i, name), self.report.effective_row(table, row)
        yield "summary", SUMMARY_LABEL, self.report.shown_summary(table)

    def sums(self) -> None:
        for table in form.INSTITUTION_TABLES:
            *institutions, (_, _, summary) = self.table_rows(table)
            computed = self.report.summary_row(table)
            for check in table.sums:
                columns = (check.target, *check.parts)
                found = [d for d in (self._sum_draft(table, check, *row) for row in institutions) if d]
                own = self._sum_draft(table, check, "summary", SUMMARY_LABEL, summary)
                if own is not None and found and all(summary[k] == computed[k] for k in columns):
                    # The summary row is the column sums of the institution rows here, so its
                    # difference is theirs added up: an echo, not an error of its own. It goes
                    # with the institutions' findings, and one 出错说明 covers it.
                    name = table.row.child(check.target).label
                    total, parts = summary[check.target], add([summary[p] for p in check.parts]) or Decimal(0)
                    for draft in found:
                        same = all(summary[k] == draft.figures[i] for i, k in enumerate(columns))
                        note = _same_note() if same else (
                            f"「{SUMMARY_LABEL}」行随之不符（{name} {_fmt(total)}，各项之和 {_fmt(parts)}，"
                            f"相差 {format_decimal(abs(total - parts))}），差额来自各机构，不另列。"
                        )
                        draft.fold(own, note)
                elif own is not None:
                    found.append(own)
                for draft in found:
                    self.add(check.rule, draft.cells, draft.message)

    @staticmethod
    def _sum_draft(
        table: InstitutionRows, check: form.SumCheck, row_id: str, row_label: str, row: dict[str, Any]
    ) -> _Draft | None:
        """The finding of a row whose total differs from its parts, if it does."""
        stated = row[check.target]
        if stated is None:
            return None
        computed = add([row[p] for p in check.parts]) or Decimal(0)
        if stated == computed:
            return None
        present = [p for p in check.parts if row[p] is not None]
        name = table.row.child(check.target).label
        return _Draft(
            [f"{table.key}.{row_id}.{k}" for k in (check.target, *present)],
            f"{_table_title(table)}「{row_label}」：{name}填报 {_fmt(stated)}，"
            f"而 {_sum_text(table, row, check.parts)} = {_fmt(computed)}，"
            f"{_difference(stated, computed, name)}。",
            tuple(row[k] for k in (check.target, *check.parts)),
        )

    def summary(self) -> None:
        """A figure the file stated in its summary row that differs from the institutions'
        sum. The message quotes the stated figure, which is the one every output shows
        (:meth:`Report.shown_summary`); a cell left blank states nothing and shows the sum."""
        for table in form.INSTITUTION_TABLES:
            stated = self.report.stated_summary(table)
            if stated is None:
                continue
            computed = self.report.summary_row(table)
            shown = self.report.shown_summary(table)
            for column in table.columns:
                s, c = shown[column.key], computed[column.key]
                if column.key not in self.report.stated_keys(table) or s == c:
                    continue
                cells = [f"{table.key}.summary.{column.key}"] + [
                    f"{table.key}.{i}.{column.key}" for i in range(len(self.report.institutions))
                ]
                head = f"{_table_title(table)}「{SUMMARY_LABEL}」的{column.label}"
                if c is None:
                    self.add("summary.rows", cells, f"{head}填报 {_fmt(s)}，而各机构都未填写。")
                else:
                    self.add(
                        "summary.rows",
                        cells,
                        f"{head}填报 {_fmt(s)}，而各机构合计为 {_fmt(c)}，"
                        f"{_difference(s, c, '汇总行')}。",
                    )

    def balance(self) -> None:
        income_total = form.INCOME.row.child("total").label
        spent_total = form.EXPENDITURE.row.child("total").label
        balance = form.EXPENDITURE.row.child("balance_year").label
        inc_rows = list(self.table_rows(form.INCOME))
        exp_rows = list(self.table_rows(form.EXPENDITURE))
        found: list[_Draft] = []
        for (row_id, label, inc), (_, _, exp) in zip(inc_rows, exp_rows, strict=True):
            i_total, e_total, bal = inc["total"], exp["total"], exp["balance_year"]
            if i_total is None or e_total is None:
                continue
            diff = i_total - e_total
            head = (
                f"收支结余「{label}」：{income_total} {_fmt(i_total)} − {spent_total} {_fmt(e_total)} "
                f"= {format_decimal(diff)}"
            )
            if bal is None and diff != 0:
                message = f"{head}，但{balance}未填写。"
            elif bal is not None and bal != diff:
                message = f"{head}，而{balance}填报 {_fmt(bal)}，{_difference(bal, diff, balance)}。"
            else:
                continue
            draft = _Draft(
                [f"income.{row_id}.total", f"expenditure.{row_id}.total", f"expenditure.{row_id}.balance_year"],
                message,
                (i_total, e_total, bal),
            )
            # The summary row with one institution's very figures says nothing new.
            twin = next((d for d in found if d.figures == draft.figures), None)
            if row_id == "summary" and twin is not None:
                twin.fold(draft, _same_note())
            else:
                found.append(draft)
        for draft in found:
            self.add("balance", draft.cells, draft.message)

    # -- score ------------------------------------------------------------------

    def score(self) -> None:
        items = self.report.data["score_items"]
        self_score = self.report.data["score"]["self_score"]
        for i, item in enumerate(items):
            label = item["name"] or f"第 {i + 1} 行"
            w, s = item["weight"], item["score"]
            if w is not None and s is not None and s > w:
                self.add(
                    "score.sum",
                    [f"score_items.{i}.score", f"score_items.{i}.weight"],
                    f"一级指标「{label}」：自评得分 {_fmt(s)} 超过指标分值 {_fmt(w)}，"
                    f"多 {format_decimal(s - w)} 分。",
                )
            if s is not None and s < 0:
                self.add(
                    "score.sum",
                    [f"score_items.{i}.score"],
                    f"一级指标「{label}」：自评得分 {_fmt(s)} 不能为负数。",
                )
        if not items:
            return
        total = add([item["score"] for item in items])
        if self_score is None:
            shown = (f"一级指标自评得分合计为 {_fmt(total)}，打印和汇总时按此显示。请核对后填写评分。"
                     if total is not None and all(item["score"] is not None for item in items)
                     else "一级指标自评得分也不完整，打印稿上的评分将是空白。请填写评分。")
            self.add("score.blank", ["score.self_score"], f"评分未填写；{shown}")
        weights = add([item["weight"] for item in items])
        if weights is not None and weights != 100:
            self.add(
                "score.sum",
                [f"score_items.{i}.weight" for i in range(len(items))],
                f"一级指标分值合计为 {_fmt(weights)}，应为 100，"
                f"{_difference(weights, Decimal(100), '分值合计')}。",
            )
        if total is not None and self_score is not None and total != self_score:
            self.add(
                "score.sum",
                ["score.self_score", *(f"score_items.{i}.score" for i in range(len(items)))],
                f"评分填报 {_fmt(self_score)}，而一级指标自评得分合计为 {_fmt(total)}，"
                f"{_difference(self_score, total, '评分')}。",
            )

    def grade(self) -> None:
        score = self.report.data["score"]
        typed = score["grade"]
        band = self.report.band_of(score["self_score"])
        if typed and band and typed != band:
            self.add(
                "score.grade",
                ["score.grade", "score.self_score"],
                f"等级填报「{typed}」，而评分 {_fmt(score['self_score'])} 对应的等级是「{band}」。",
            )
        if score["self_score"] is not None and not (0 <= score["self_score"] <= 100):
            self.add(
                "score.grade",
                ["score.self_score"],
                f"评分 {_fmt(score['self_score'])} 超出 0—100 分的范围。",
            )

    # -- the rest ---------------------------------------------------------------

    def staff(self) -> None:
        basics = self.report.data["basics"]
        quota, actual = basics["staff_quota"], basics["staff_actual"]
        if quota is not None and actual is not None and actual > quota:
            self.add(
                "staff",
                ["basics.staff_actual", "basics.staff_quota"],
                f"实有人数 {actual} 超过人员编制 {quota}，多 {actual - quota} 人；如属实请说明原因。",
            )

    def required(self) -> None:
        for section in (form.COVER, form.BASICS):
            for value in section.values():
                if value.required and self.report.data[section.key][value.key] in (None, ""):
                    self.add(
                        "required",
                        [f"{section.key}.{value.key}"],
                        f"{section.tab or section.label}：「{value.help or value.label}」必须填写。",
                    )

    def figures(self) -> None:
        """A report whose income and expenditure tables are blank throughout (a carried-over
        report nobody filled in) is not a report that agrees with itself."""
        tables = (form.INCOME, form.EXPENDITURE)
        for table in tables:
            rows = [*self.report.data[table.key], self.report.stated_summary(table) or {}]
            if any(value is not None for row in rows for value in row.values()):
                return
        titles = "和".join(f"「{_table_title(t)}」" for t in tables)
        self.add(
            "figures.empty",
            [f"{t.key}.0.total" for t in tables],
            f"{titles}一个数字也没有填写。请填写本年度的收入和支出；确实为零的请填 0。",
        )

    def narrative_basic(self) -> None:
        row = self.report.effective_row(form.EXPENDITURE, self.report.data["expenditure"][0])
        for group, column in form.BASIC_GROUP_COLUMNS.items():
            indices = self.report.basic_indices(group)
            total = self.report.basic_total(group)
            stated = row[column]
            if not indices or total is None or stated is None or total == stated:
                continue
            label = form.EXPENDITURE.row.child(column).label
            self.add(
                "narrative.basic",
                [f"expenditure.0.{column}", *(f"narrative.basic_items.{i}.amount" for i in indices)],
                f"基本支出明细：{len(indices)} 项{group}合计 {_fmt(total)}，而支出表「1、"
                f"{self.report.institutions[0]}」的{label}为 {_fmt(stated)}，"
                f"{_difference(total, stated, '明细合计')}。",
            )

    def narrative_projects(self) -> None:
        projects = self.report.data["narrative"]["projects"]
        for i, project in enumerate(projects):
            uses = project["uses"]
            total = self.report.uses_total(i)
            amount = project["amount"]
            if not uses or total is None or amount is None or total == amount:
                continue
            self.add(
                "narrative.projects",
                [
                    f"narrative.projects.{i}.amount",
                    *(f"narrative.projects.{i}.uses.{j}.amount" for j in range(len(uses))),
                ],
                f"项目「{_short(project['name'])}」：金额 {_fmt(amount)}，而各项用途合计 "
                f"{_fmt(total)}，{_difference(total, amount, '用途合计')}。",
            )
        total = self.report.projects_total()
        row = self.report.effective_row(form.EXPENDITURE, self.report.data["expenditure"][0])
        stated = row["project"]
        if projects and total is not None and stated is not None and total != stated:
            self.add(
                "narrative.projects",
                ["expenditure.0.project", *(f"narrative.projects.{i}.amount" for i in range(len(projects)))],
                f"项目支出明细：列出的 {len(projects)} 个项目合计 {_fmt(total)}，而支出表「1、"
                f"{self.report.institutions[0]}」的项目支出为 {_fmt(stated)}，"
                f"{_difference(total, stated, '明细合计')}。",
            )

    def text(self) -> None:
        from models.textcheck import check_text

        for rule, cells, message in check_text(self.report):
            self.add(rule, cells, message)

    def scoring(self) -> None:
        from models.scoring import check as check_scoring

        for rule, cells, message in check_scoring(self.report):
            self.add(rule, cells, message)


def _same_note() -> str:
    return f"「{SUMMARY_LABEL}」行与此相同，不另列。"


def _short(name: str | None, limit: int = 40) -> str:
    if not name:
        return "（未命名）"
    return name if len(name) <= limit else name[: limit - 1] + "…"


CHECKS: tuple[Callable[[_Checker], None], ...] = (
    _Checker.required,
    _Checker.figures,
    _Checker.sums,
    _Checker.summary,
    _Checker.balance,
    _Checker.staff,
    _Checker.score,
    _Checker.grade,
    _Checker.narrative_basic,
    _Checker.narrative_projects,
    _Checker.text,
    _Checker.scoring,
)


_ORDER = {"error": 0, "warning": 1}


def check(report: Report) -> list[Finding]:
    """Every finding of every rule, errors first, in the order of the paper."""
    if report.flat:
        return _written(report)
    checker = _Checker(report)
    for run in CHECKS:
        run(checker)
    return sorted(checker.findings, key=lambda f: _ORDER[f.severity])


_MONEY = tuple(t.key for t in form.INSTITUTION_TABLES)
#: The parts of the report each check reads (a path, or what lies under it): an edit
#: anywhere else cannot change its findings. Explanations are read by every check.
READS: dict[Callable[[_Checker], None], tuple[str, ...]] = {
    _Checker.required: ("cover", "basics"),
    _Checker.sums: (*_MONEY, "institutions", "summary"),
    _Checker.summary: (*_MONEY, "institutions", "summary"),
    _Checker.balance: ("income", "expenditure", "institutions", "summary"),
    _Checker.staff: ("basics.staff_quota", "basics.staff_actual"),
    _Checker.score: ("score_items", "score.self_score"),
    _Checker.grade: ("score",),
    _Checker.narrative_basic: ("narrative.basic_items", "expenditure", "institutions"),
    _Checker.narrative_projects: ("narrative.projects", "expenditure", "institutions"),
    _Checker.figures: ("income", "expenditure", "summary"),
    # The 评价报告's text is compared with figures the narrative writes from every part;
    # the 自评表 scores the indicators by rates of figures from every part.
    _Checker.text: ("*",),
    _Checker.scoring: ("*",),
}


def _written(report: Report) -> list[Finding]:
    """The findings of a form of another family: its required fields and the rules its
    template writes out (:mod:`models.checks`), errors first."""
    from models import checks

    template = report.form
    severity = {r.id: r.severity for r in template.rules}
    found = [*checks.required(template, report.data), *checks.run(template, report.data)]
    out = [Finding(rule, severity.get(rule, "error"), tuple(cells), message,
                   report.explanation(rule, tuple(cells))) for rule, cells, message in found]
    return sorted(out, key=lambda f: _ORDER[f.severity])


def _reads(run: Callable[[_Checker], None], path: str) -> bool:
    """Whether a check reads ``path``: a cell it reads, or a part holding what it reads."""
    return path.split(".", 1)[0] == "explanations" or any(
        part in ("*", path) or path.startswith(part + ".") or part.startswith(path + ".")
        for part in READS[run]
    )


class Rechecker:
    """The findings of a report kept per check, so that after an edit only the checks
    that read the edited cells run again; the result is always that of :func:`check`."""

    def __init__(self) -> None:
        self._kept: dict[Callable[[_Checker], None], list[Finding]] | None = None
        self._waiting: set[Callable[[_Checker], None]] = set()

    def check(
        self, report: Report, paths: set[str] | None = None, later: tuple[Callable[[_Checker], None], ...] = ()
    ) -> list[Finding]:
        """All findings; ``paths`` are the cells changed since the last call (None: any).

        The checks in ``later`` are not run now: until a later call runs them (any
        call does) the result lacks their findings; :attr:`waiting` says so."""
        if report.flat:
            self._kept = None
            return _written(report)
        kept = dict(self._kept or {})
        for run in CHECKS:
            due = run in self._waiting or paths is None or self._kept is None or any(_reads(run, p) for p in paths)
            if due and run in later:
                self._waiting.add(run)
                kept[run] = []
            elif due:
                checker = _Checker(report)
                run(checker)
                kept[run] = checker.findings
                self._waiting.discard(run)
        self._kept = kept
        return sorted((f for run in CHECKS for f in kept[run]), key=lambda f: _ORDER[f.severity])

    @property
    def waiting(self) -> bool:
        """Whether a check put off by ``later`` has yet to run."""
        return bool(self._waiting)


#: Checks a window may run a moment after opening a report: the 评价报告's text rules,
#: the costliest, and the first to run in a process compiles their patterns.
LATER: tuple[Callable[[_Checker], None], ...] = (_Checker.text,)


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
