"""Template files that are not templates, and a cache folder that is not to be trusted.

A hostile template (too large, too many lines, a key thousands of levels deep,
nesting past the reader's stack, a formula nested or long past reason) is refused
with a message before it can take time or memory; bench/bench_hostile.py measures
how fast. The cache of the checked template is passed over, never trusted, when
it is damaged, cut short or not the program's own, and rewritten."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from models import form, formula
from models import template as tpl
from models.template import TemplateError
from tests.hostile import TEMPLATES


def refused(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(TemplateError) as caught:
        tpl.load_bytes(data, "坏.toml")
    return str(caught.value)


def with_rule(equals: str) -> str:
    """The Hunan template with one more rule of this formula."""
    return form.TEMPLATE.data.decode("utf-8") + (
        '\n[[rules]]\nid = "x.check"\nseverity = "error"\ntitle = "试一试"\ncell = "score.self_score"\n'
        f'equals = "{equals}"\n')


def test_a_file_too_large_is_refused_before_it_is_read() -> None:
    assert refused(b"#" * (tpl.MAX_BYTES + 1)) == "表样模板文件「坏.toml」无法使用：文件过大（超过 1024 KB），不是表样模板文件。"


def test_too_many_lines() -> None:
    assert refused("[[parts]]\n" * 30_000) == (
        "表样模板文件「坏.toml」无法使用：文件有 30001 行（表样模板最多 20000 行），不是表样模板文件。")


@pytest.mark.parametrize("text", ["x" + ".a" * 400_000 + " = 1\n", "[x" + ".a" * 400_000 + "]\n",
                                  '\nformat = "ziping-template"\n"x".' + '"a".' * 16 + '"b" = 1\n'])
def test_a_key_too_deep(text: str) -> None:
    line = text.count("\n", 0, text.index("x")) + 1
    assert refused(text) == (f"表样模板文件「坏.toml」无法使用：第 {line} 行：键的层次过多（一个键最多 16 层，"
                             "例如 kinds.money 为 2 层），不是表样模板文件。")


def test_a_key_of_sixteen_levels_is_read() -> None:
    text = 'format = "ziping-template"\nformat_version = 1\nx' + ".a" * 15 + " = 1\n"
    assert "不认识的键 x" in refused(text)


@pytest.mark.parametrize("text", ["x = " + "[" * 200_000 + "]" * 200_000, "x = " + "{a=" * 100_000 + "1" + "}" * 100_000,
                                  "x = " + "[" * 900 + "]" * 900])
def test_nesting_too_deep(text: str) -> None:
    assert refused(text) == "表样模板文件「坏.toml」无法使用：嵌套过深，不是表样模板文件。"


def test_too_many_problems_stop_at_thirty() -> None:
    text = 'format = "ziping-template"\nformat_version = 1\n' + "[[parts]]\n" * 19_000
    problems = refused(text).splitlines()
    assert problems[0] == "表样模板文件「坏.toml」无法使用：超过 30 处问题"
    assert len(problems) == 32 and problems[30].startswith("  30. ")
    assert problems[-1] == "  ……问题太多，以下不再查找：请先改正以上各处。"


@pytest.mark.parametrize(("equals", "why"), [
    ("(" * 200 + "1" + ")" * 200, "公式嵌套过深（括号、正负号、not 和函数最多套 32 层）"),
    ("-" * 400 + "1", "公式嵌套过深（括号、正负号、not 和函数最多套 32 层）"),
    ("abs(" * 40 + "1" + ")" * 40, "公式嵌套过深（括号、正负号、not 和函数最多套 32 层）"),
    ("+".join(["1"] * 120), "公式过于复杂（超过 100 层运算），请拆成几条规则"),
    ("9" * 400, f"数字 {'9' * 12}… 过长（最多 20 位）"),
    ("9**9**9", "此处不应出现「*」"),
])
def test_a_formula_past_reason(equals: str, why: str) -> None:
    line = form.TEMPLATE.data.decode("utf-8").count("\n") + 7
    message = refused(with_rule(equals))
    assert message.startswith(f"表样模板文件「坏.toml」无法使用：第 {line} 行（rules[x.check].equals）：公式 \"")
    assert message.endswith(f"\" 有误：{why}。")


def test_a_formula_within_reason_still_reads() -> None:
    assert formula.parse("(" * 30 + "1" + ")" * 30) == formula.Num(formula.Decimal(1))
    assert isinstance(formula.parse("+".join(["1"] * 99)), formula.Binary)


# ---------------------------------------------------------------------------
# The cache
# ---------------------------------------------------------------------------


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    path = tmp_path / "hunan-2023.toml"
    path.write_bytes(form.TEMPLATE.data)
    return path


def test_the_cache_is_written_and_read(shipped: Path) -> None:
    first = tpl.cached(shipped)
    where = tpl._cache_file(shipped.read_bytes())
    assert where.read_bytes().startswith(b"ziping-template-cache 1\n")
    assert tpl.cached(shipped) == first == form.TEMPLATE


class Planted:
    """What a hostile cache file would run on loading, if it were unpickled blindly."""

    def __init__(self, where: Path) -> None:
        self.where = where

    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return (os.mkdir, (str(self.where),))


@pytest.mark.parametrize("damage", ["truncated", "flipped", "foreign", "planted", "old", "empty", "other"])
def test_a_bad_cache_is_passed_over_and_rewritten(shipped: Path, damage: str, tmp_path: Path, monkeypatch) -> None:
    good = tpl.cached(shipped)
    where = tpl._cache_file(shipped.read_bytes())
    blob = where.read_bytes()
    other = tpl.load_bytes(form.TEMPLATE.data.replace(b'version = "2023.1"', b'version = "2023.9"'), "x")
    bad = {
        "truncated": blob[: len(blob) // 2],
        "flipped": blob[:-100] + bytes([blob[-100] ^ 1]) + blob[-99:],
        "foreign": pickle.dumps({"not": "a template"}),
        # a cache file with a right checksum that names something other than the template's classes
        "planted": tpl._CACHE_MAGIC + _sealed(pickle.dumps(Planted(tmp_path / "planted"))),
        "old": pickle.dumps(good),  # the cache as earlier versions wrote it: raw pickle
        "empty": b"",
        "other": tpl._cache_dump(other),  # a sound cache of another template
    }[damage]
    where.write_bytes(bad)
    read_again: list[str] = []
    real = tpl.load_bytes
    monkeypatch.setattr(tpl, "load_bytes", lambda data, source, **kw: read_again.append(source) or real(data, source, **kw))
    assert tpl.cached(shipped) == good
    assert read_again == [str(shipped)]
    assert where.read_bytes() != bad and tpl._cache_load(where.read_bytes()) == good  # rewritten
    assert not (tmp_path / "planted").exists()


def _sealed(body: bytes) -> bytes:
    import hashlib

    return hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def test_an_unwritable_cache_folder_still_reads(shipped: Path, tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert tpl.cached(shipped) == form.TEMPLATE
    assert tpl.cached(shipped) == form.TEMPLATE


# ---------------------------------------------------------------------------
# A package's template
# ---------------------------------------------------------------------------


def test_a_package_template_that_is_not_the_one_recorded(sample) -> None:
    """Same id and version, one label changed: its SHA-256 is not the one the report and
    the manifest record, and the package is refused."""
    from reports.package import PackageError, build_package, read_package
    from tests.helpers import explain_errors
    from tests.reports.test_package import members
    from tests.reports.test_package_template import reseal

    files = members(build_package(explain_errors(sample)))
    files["template.toml"] = files["template.toml"].replace("上年结转".encode(), "上年结余".encode(), 1)
    with pytest.raises(PackageError) as caught:
        read_package(reseal(files), "x.zpb")
    assert str(caught.value) == ("报送包「x.zpb」无法使用：包内的表样模板与报告数据所用的表样模板不符，文件可能被改动。"
                                 "未导入任何内容。")


def test_a_hostile_template_in_a_package(sample) -> None:
    from reports.package import PackageError, build_package, read_package
    from tests.helpers import explain_errors
    from tests.reports.test_package import members
    from tests.reports.test_package_template import reseal

    files = members(build_package(explain_errors(sample)))
    files["template.toml"] = ("x" + ".a" * 400_000 + " = 1\n").encode()
    with pytest.raises(PackageError) as caught:
        read_package(reseal(files), "x.zpb")
    assert str(caught.value) == ("报送包「x.zpb」无法使用：包内的表样模板（template.toml）有误：第 1 行：键的层次过多"
                                 "（一个键最多 16 层，例如 kinds.money 为 2 层），不是表样模板文件。未导入任何内容。")


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_every_hostile_template_of_the_bench_is_refused(name: str) -> None:
    assert refused(TEMPLATES[name]()).startswith("表样模板文件「坏.toml」无法使用：")
