"""The kinds of node a form is made of; a form itself is data (see :mod:`models.form`).

- :class:`Value` — one field or cell (text, long text, integer, figure, …);
- :class:`Record` — a group of named nodes (a section, a table row);
- :class:`Rows` — a table whose rows the clerk adds and removes;
- :class:`InstitutionRows` — a table with one row per institution (机构),
  under a summary row that is the column sums;
- :class:`Names` — a list of names (the institutions);
- :class:`Bands` — the grade bands ``[[lower, word], …]``;
- :class:`Opinion`, :class:`Heading`, :class:`RuleInfo` — an opinion with its
  signature lines, a heading of Part B, a rule and its severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "longtext", "int", "money", "score", "yearmonth"]


@dataclass(frozen=True)
class Value:
    """One field or cell: text, long text, integer, figure, score or year-month."""

    key: str
    label: str
    kind: Kind = "text"
    required: bool = False
    #: Decimal places a figure may carry (money 2, score 1).
    places: int = 2
    #: Units accepted after a figure or a number as typed ("万元", "人").
    units: tuple[str, ...] = ()
    #: Whether a figure may be negative (balances may, amounts may not).
    negative: bool = False
    minimum: int | None = None
    maximum: int | None = None
    #: Default text, formatted with the cover's fields: "{dept_name}绩效自评".
    default: str | None = None
    #: Words the clerk usually picks (the window offers them; any text is kept).
    suggestions: tuple[str, ...] = ()
    #: A longer label for the window and messages, when the short one is terse.
    help: str = ""
    #: Left out of the interchange file while blank: a key added after files were
    #: signed keeps their canonical text, and so their fingerprint, unchanged.
    omit_blank: bool = False
    #: Most characters a text may have, where a longer one cannot be meant (a word).
    max_length: int | None = None
    #: Whether next year's report keeps the value (:meth:`Report.carried_over` of a form of
    #: another family); None: words and whole numbers do, figures and long texts do not.
    carry: bool | None = None
    #: Other words workbooks not made by this program title the field or column with
    #: (:mod:`models.synonyms`).
    aliases: tuple[str, ...] = ()

    @property
    def is_figure(self) -> bool:
        return self.kind in ("money", "score")


@dataclass(frozen=True)
class Record:
    """A group of named nodes: a section of the form, or a table row."""

    key: str
    label: str
    children: tuple[Node, ...]
    #: The tab this record is edited on; None when it is not a tab of its own.
    tab: str | None = None
    #: Left out of the interchange file while every value in it is blank (see Value).
    omit_blank: bool = False

    def child(self, key: str) -> Node:
        for node in self.children:
            if node.key == key:
                return node
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(n.key for n in self.children)

    def values(self) -> tuple[Value, ...]:
        return tuple(n for n in self.children if isinstance(n, Value))


@dataclass(frozen=True)
class Rows:
    """A table whose rows the clerk adds and removes."""

    key: str
    label: str
    row: Record
    tab: str | None = None
    #: Columns whose equal consecutive values print as one merged cell.
    merge: tuple[str, ...] = ()
    #: The columns the paper form's table prints and its tab edits; () all of them.
    #: The others belong to another view of the same rows (the 自评表).
    shown: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[Value, ...]:
        return self.row.values()

    @property
    def form_columns(self) -> tuple[Value, ...]:
        """The columns of this table on paper and on its tab."""
        return tuple(c for c in self.columns if not self.shown or c.key in self.shown)


@dataclass(frozen=True)
class SumCheck:
    """``target = Σ parts`` within one row; a blank target shows the sum."""

    rule: str
    target: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class InstitutionRows:
    """A table with one row per institution (机构), under the summary row of column sums."""

    key: str
    label: str
    row: Record
    sums: tuple[SumCheck, ...] = ()
    tab: str | None = None
    unit: str = "万元"
    #: Print/workbook headers: groups of columns under a common heading,
    #: ``(heading, first column, last column)``; nested groups allowed.
    groups: tuple[tuple[str, str, str], ...] = ()

    @property
    def columns(self) -> tuple[Value, ...]:
        return self.row.values()

    def computed_order(self) -> tuple[SumCheck, ...]:
        """Sum checks ordered so that a sub-total is computed before its total."""
        ordered: list[SumCheck] = []
        pending = list(self.sums)
        while pending:
            for check in pending:
                if not any(
                    other.target in check.parts for other in pending if other is not check
                ):
                    ordered.append(check)
                    pending.remove(check)
                    break
            else:  # pragma: no cover - a cycle is a mistake in this module
                raise ValueError(f"circular sums in {self.key}")
        return tuple(ordered)


@dataclass(frozen=True)
class Names:
    """A list of names (the institutions)."""

    key: str
    label: str
    item_label: str
    tab: str | None = None


@dataclass(frozen=True)
class Bands:
    """The grade bands ``[[lower, word], …]`` of a report."""

    key: str
    label: str


Node = Value | Record | Rows | InstitutionRows | Names | Bands


@dataclass(frozen=True)
class Opinion:
    """An opinion of the form, with the lines signed by hand under it on paper."""

    key: str
    label: str
    #: The lines printed under the opinion, filled by hand on paper.
    sign_lines: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    """A heading of Part B and what follows it, in the order of the paper.

    ``content`` names, in order, the texts (keys of ``narrative.sections``) and
    the tables (:data:`PART_B_TABLES`) printed under the heading, before its
    sub-headings. Level 1 is ``一、`` (黑体), level 2 ``（一）`` (楷体), level 3 an
    unnumbered sub-heading.
    """

    number: str
    title: str
    level: int
    content: tuple[str, ...] = ()
    children: tuple[Heading, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.number}{self.title}"


@dataclass(frozen=True)
class RuleInfo:
    """A rule of 审核: its id, severity and what it checks."""

    id: str
    severity: Literal["error", "warning"]
    title: str
