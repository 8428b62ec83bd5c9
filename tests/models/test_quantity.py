"""Reading targets and actuals as typed: number, unit and comparator."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.quantity import AFTER, BEFORE, UNITS, Quantity, parse, parse_actual


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥50个", Quantity(Decimal(50), "个", "≥")),
        ("80个", Quantity(Decimal(80), "个")),
        ("100%", Quantity(Decimal(100), "%")),
        ("满意度在98%以上", Quantity(Decimal(98), "%", "≥")),
        ("完成8家", Quantity(Decimal(8), "家")),
        ("27.6万元", Quantity(Decimal("27.6"), "万元")),
        ("不超过5%", Quantity(Decimal(5), "%", "≤")),
        ("控制在20万元以内", Quantity(Decimal(20), "万元", "≤")),
        ("１２３家", Quantity(Decimal(123), "家")),
        ("1,000人次", Quantity(Decimal(1000), "人次")),
        ("800余人次", Quantity(Decimal(800), "人次", ">")),
        ("入企走访30家企业", Quantity(Decimal(30), "家")),
        # a date does not count: the one quantity is the amount
        ("今年1-10月完成产值39.4亿元", Quantity(Decimal("39.4"), "亿元")),
    ],
)
def test_targets_as_clerks_type_them(text, expected) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["大庭尾矿库治理达标情况", "大庭尾矿库的治理已全面达标，并于2023年10月完成销号。", "", None, "新增4家，培育2家", "优"],
)
def test_no_quantity_or_several_is_unreadable(text) -> None:
    assert parse(text) is None


def test_an_actual_is_read_in_its_targets_unit() -> None:
    target = parse("入企走访30家企业")
    assert target is not None
    actual = parse_actual("入企走访40多家企业，宣传政策，指导企业规范报统数据，得到企业的认可。", target)
    assert actual == Quantity(Decimal(40), "家", ">")
    # amounts compare across 元, 万元 and 亿元
    big = parse_actual("完成11.6亿元", parse("100000万元"))  # type: ignore[arg-type]
    assert big is not None and big.base == Decimal("116000")
    # the unit decides among several numbers; none of the unit: unreadable
    assert parse_actual("接待群众800余人次，发放手册800余册", parse("1000人次")) == Quantity(Decimal(800), "人次", ">")  # type: ignore[arg-type]
    assert parse_actual("接待群众800余人次", parse("30家")) is None  # type: ignore[arg-type]


_numbers = st.builds(
    lambda units, places: Decimal(units).scaleb(-places),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=2),
)
_units = st.sampled_from([u for u in UNITS if u not in ("年", "月", "日")])


@given(_numbers, _units, st.sampled_from(sorted(BEFORE)))
def test_any_number_unit_and_word_before_it_reads_back(value, unit, word) -> None:
    found = parse(f"{word}{value}{unit}")
    assert found is not None
    assert (found.value, found.comparator) == (value, BEFORE[word])
    assert found.unit == unit


@given(_numbers, _units, st.sampled_from(sorted(AFTER)))
def test_any_number_unit_and_word_after_it_reads_back(value, unit, word) -> None:
    found = parse(f"指标值为{value}{unit}{word}")
    assert found == Quantity(value, unit, AFTER[word])


@given(_numbers, _units)
def test_what_a_quantity_prints_reads_back_as_itself(value, unit) -> None:
    quantity = Quantity(value, unit, "≥")
    again = parse(str(quantity))
    assert again is not None and (again.value, again.unit, again.comparator) == (value, unit, "≥")


@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_never_an_exception(text) -> None:
    found = parse(text)
    assert found is None or isinstance(found.value, Decimal)
    if found is not None:
        assert parse_actual(text, found) is not None
