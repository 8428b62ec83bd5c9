"""Exceptions whose text is fit for a clerk.

Every condition a user can cause or meet (a wrong number, a bad file, a locked
report, a damaged database) is raised as a subclass of :class:`ZipingError`
with a message in Simplified Chinese that says what is wrong and what to do.
Interfaces (the command line, the window) show ``str(error)`` as it is; any
other exception is a bug.
"""

from __future__ import annotations


def quoted(text: str, limit: int = 40) -> str:
    """What someone typed or a file held, quoted in a message: 「…」, shortened when long
    (a value pasted by mistake may be a whole page)."""
    return f"「{text if len(text) <= limit else text[: limit - 1] + '…'}」"


class ZipingError(Exception):
    """A known condition with a message for the user."""


class InputError(ZipingError):
    """Something the user typed or a file they gave cannot be used."""


class ValueInputError(InputError):
    """One value (a cell, a field) cannot be read."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class DocumentError(InputError):
    """A report document (interchange file) is malformed; carries every problem."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        head = f"文件「{source}」无法读取：" if source else "报告数据无法读取："
        if len(self.problems) == 1:
            text = head + self.problems[0]
        else:
            shown = self.problems[:20]
            text = head + f"共 {len(self.problems)} 处问题\n" + "\n".join(
                f"  {i}. {p}" for i, p in enumerate(shown, 1)
            )
            if len(self.problems) > len(shown):
                text += f"\n  ……另有 {len(self.problems) - len(shown)} 处未列出"
        super().__init__(text)


class StoreError(ZipingError):
    """The database cannot be used as asked."""


class ReportNotFound(StoreError):
    pass


class ReportDamaged(StoreError):
    """One report's saved data cannot be read; the rest of the database is sound."""


class StoreBusy(StoreError):
    """Another program holds the database's write lock; nothing was written. Try again."""


class DiskFull(StoreError):
    """The disk holding the database is full; nothing was written."""


class StaleRevision(StoreError):
    """The report was saved elsewhere (another window, the command line) since this
    copy was loaded: saving it would silently undo that. Nothing was written."""

    def __init__(self, message: str, head: int) -> None:
        super().__init__(message)
        #: The revision that is the report's current one now.
        self.head = head


class ReportLocked(StoreError):
    """The report is final (定稿) and must be reopened before it changes."""


class ReasonRequired(StoreError):
    """Replacing or deleting a final (定稿) report needs a reason, which is recorded;
    nothing was changed."""


class AlreadyExists(StoreError):
    """The department already has a report for that year: one department-year is one
    report unless the user chooses to keep both. Nothing was written."""

    def __init__(self, message: str, ids: list[int]) -> None:
        super().__init__(message)
        #: The reports of that department and year.
        self.ids = ids


class FileWriteError(ZipingError):
    """An output file could not be written; any earlier file is intact."""
