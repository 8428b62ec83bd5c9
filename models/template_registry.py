"""Installed form templates: the shipped ones and a finance bureau's, in the user's data folder.

``install`` reads and checks a template file and copies it, under a name made of
its id and version, into the ``templates`` folder beside the database. Several
versions of one template live side by side: a report made with last year's
version keeps reading it. One id and version are one content: a second file
with the same id and version that differs is refused (its maker should raise
the version), an identical one is already there.

A new report takes, by default, the newest template installed for its year
(else the newest installed for an earlier year, else the Hunan 2023 template
shipped with the program); the other shipped templates are there to be chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from models import template as tpl
from models.errors import InputError
from models.template import Template, TemplateError


def user_directory() -> Path:
    """Where installed templates go: ``templates`` beside the database."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ziping", appauthor=False)) / "templates"


#: The folder chosen with :func:`use_directory`, if any.
_chosen: list[Path] = []


def use_directory(folder: Path | None) -> None:
    """Install into and read from this folder from now on; None: the user's data folder."""
    _chosen[:] = [folder] if folder is not None else []


def directory() -> Path:
    return _chosen[0] if _chosen else user_directory()


@dataclass(frozen=True)
class Entry:
    template: Template
    #: Shipped with the program (内置), or installed by the user.
    shipped: bool

    @property
    def where(self) -> str:
        return "随程序附带" if self.shipped else "已安装"


def family(template_id: str) -> str:
    """The family of a template: its id without the year (``hunan-2024`` → ``hunan``)."""
    return re.sub(r"-\d{4}$", "", template_id)


def own_form() -> Template:
    """The form the program runs: the newest issue of its own family installed (a finance
    bureau's template for next year, with its renamed labels, added rows and other grade
    bands), else the one shipped with the program. Read at start, from the cache; an
    installed file that cannot be read is passed over (``template list`` names it)."""
    import logging

    best = tpl.default()
    own = family(best.id)
    try:
        files = sorted(directory().glob(f"{own}-*.toml"))
    except OSError:
        files = []
    for path in files:
        try:
            found = tpl.cached(path)
        except (TemplateError, OSError) as exc:
            logging.getLogger(__name__).warning("template %s passed over: %s", path.name, exc)
            continue
        if found.flat or family(found.id) != own:
            continue
        if (found.year, version_key(found.version)) > (best.year, version_key(best.version)):
            best = found
    return best


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Versions in the order people mean: 2023.10 after 2023.9."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", version))


def _file_name(template: Template) -> str:
    return f"{template.id}-{template.version}.toml"


#: Templates read this run, by file: (size and time of change, template). Every report a
#: store opens asks which template it names; a file is read again only when it changed.
_read: dict[str, tuple[tuple[int, int], Template]] = {}


def _load(path: Path) -> Template:
    info = path.stat()
    stamp = (info.st_size, info.st_mtime_ns)
    known = _read.get(str(path))
    if known is not None and known[0] == stamp:
        return known[1]
    template = tpl.load_file(path)
    _read[str(path)] = (stamp, template)
    return template


def entries() -> tuple[list[Entry], list[str]]:
    """Every template found (shipped first, then installed, each id-version once) and
    why any installed file could not be used."""
    found: dict[tuple[str, str], Entry] = {}
    problems: list[str] = []
    for path in sorted(tpl.SHIPPED.glob("*.toml")):
        t = _load(path)
        found[(t.id, t.version)] = Entry(t, True)
    try:
        files = sorted(directory().glob("*.toml"))
    except OSError:
        files = []
    for path in files:
        try:
            t = _load(path)
        except TemplateError as exc:
            problems.append(str(exc))
            continue
        except OSError as exc:
            from models.fileio import describe

            problems.append(f"无法读取表样模板「{path}」：{describe(exc)}。")
            continue
        key = (t.id, t.version)
        if key in found and found[key].template.digest != t.digest:
            problems.append(f"已安装的表样模板「{path}」与随程序附带的 {t.id} 版本 {t.version} 内容不同，未使用：请提高它的 version。")
            continue
        found.setdefault(key, Entry(t, False))
    ordered = sorted(found.values(), key=lambda e: (e.template.year, e.template.id, version_key(e.template.version)))
    return ordered, problems


def available() -> list[Template]:
    return [e.template for e in entries()[0]]


def find(id: str, version: str | None = None, digest: str | None = None) -> Template | None:  # noqa: A002
    """The template of this id (and version, and content where given); without a
    version, its newest."""
    matches = [t for t in available() if t.id == id and (version is None or t.version == version)
               and (digest is None or t.digest == digest)]
    return max(matches, key=lambda t: version_key(t.version)) if matches else None


def newest_for_year(year: int | None) -> Template:
    """The template a new report of ``year`` takes by default."""
    installed = [e.template for e in entries()[0] if not e.shipped]
    if year is not None:
        same = [t for t in installed if t.year == year]
        if same:
            return max(same, key=lambda t: version_key(t.version))
        earlier = [t for t in installed if t.year < year]
        if earlier:
            return max(earlier, key=lambda t: (t.year, version_key(t.version)))
    return tpl.default()


def install(path: str | Path) -> tuple[Template, bool]:
    """Check a template file and copy it into the templates folder. Returns the
    template and whether it was newly installed (False: the same file was there)."""
    from models.fileio import write_atomic

    template = tpl.load_file(path)
    for entry in entries()[0]:
        other = entry.template
        if (other.id, other.version) != (template.id, template.version):
            continue
        if other.digest == template.digest:
            return other, False
        raise InputError(
            f"表样模板 {template.id} 版本 {template.version} {'随程序附带' if entry.shipped else '已经安装'}，"
            f"但内容与「{path}」不同"
            f"（已有的指纹 {other.short_hash}，这个文件的 {template.short_hash}）。同一版本号只能对应一份内容："
            "请制作模板的财政局提高 version（例如 2023.2）后再发出。"
        )
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _file_name(template)
    write_atomic(target, template.data)
    return tpl.load_file(target), True


def installed_text(template: Template, new: bool) -> str:
    """What the clerk reads after :func:`install`, on the command line and in the window."""
    if not new:
        return f"表样模板 {template.id} 版本 {template.version} 已经安装，内容相同，无需重复安装。"
    return (f"已安装表样模板 {template.id} 版本 {template.version}（{template.name}，{template.year} 年度），"
            f"指纹 {template.short_hash}。{_when_used(template)}")


def _when_used(template: Template) -> str:
    """When the program takes up a template just installed."""
    from models import form

    running = form.TEMPLATE
    if template.flat:
        return f"新建报告时可以选择它（{template.name}）。"
    if family(template.id) == family(running.id) and (template.year, version_key(template.version)) > (
            running.year, version_key(running.version)):
        return ("程序下次启动时改用这个表样：窗口、审核、打印和 Excel 按它的文字、栏目和等级档次；"
                "按早先版本填写的报告照常打开。")
    return f"新建 {template.year} 年度的报告时默认使用已安装的最新版本。"
