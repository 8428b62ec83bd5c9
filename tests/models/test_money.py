from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ValueInputError
from models.money import add, format_decimal, format_percent, parse_decimal, parse_int


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("5374.34", "5374.34"),
        ("５３７４．３４", "5374.34"),
        ("5,374.34", "5374.34"),
        ("５，３７４．３４", "5374.34"),
        (" 5374.34 ", "5374.34"),
        ("5374.34万元", "5374.34"),
        ("5374.34 万元", "5374.34"),
        ("5 374.34", "5374.34"),
        ("\u30005374.34\u3000", "5374.34"),
        ("0.4", "0.4"),
        ("0", "0"),
        ("14", "14"),
        ("1.60", "1.60"),
        ("-0.10", "-0.10"),
        ("−0.10", "-0.10"),
        ("－0.10", "-0.10"),
        ("-0", "0"),
        ("+3", "3"),
    ],
)
def test_accepts_what_people_type_and_paste(typed: str, expected: str) -> None:
    value = parse_decimal(typed, negative=True)
    assert value is not None
    assert format_decimal(value) == expected


@pytest.mark.parametrize("typed", [None, "", "   ", "\u3000", "\t"])
def test_blank_is_none_not_zero(typed: str | None) -> None:
    assert parse_decimal(typed) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "「abc」不是有效的金额：请只填写数字，可带单位「万元」，例如 5374.34。"),
        ("NaN", "「NaN」不是有效的金额：请只填写数字，可带单位「万元」，例如 5374.34。"),
        ("Infinity", "「Infinity」不是有效的金额：请只填写数字，可带单位「万元」，例如 5374.34。"),
        ("1e3", "「1e3」不是有效的金额：请只填写数字，可带单位「万元」，例如 5374.34。"),
        ("12,34.5", "「12,34.5」不是有效的金额：请只填写数字，可带单位「万元」，例如 5374.34。"),
        ("4.82元", "「4.82元」不是有效的金额：请只填写数字，可带单位「万元」，例如 5374.34。"),
        ("1.2.3", "「1.2.3」不是有效的金额：请只填写数字，可带单位「万元」，例如 5374.34。"),
        ("1.234", "「1.234」的小数位数过多：金额最多保留 2 位小数。请核对后重新填写，程序不会自动四舍五入。"),
        ("1.230", "「1.230」的小数位数过多：金额最多保留 2 位小数。请核对后重新填写，程序不会自动四舍五入。"),
        ("99999999999999", "「99999999999999」数值过大，请核对金额的单位和位数。"),
    ],
)
def test_refuses_with_a_message_quoting_the_input(typed: str, message: str) -> None:
    with pytest.raises(ValueInputError) as caught:
        parse_decimal(typed)
    assert str(caught.value) == message


def test_negative_refused_where_the_column_forbids_it() -> None:
    with pytest.raises(ValueInputError) as caught:
        parse_decimal("-5", negative=False, what="收入合计")
    assert str(caught.value) == "「-5」不能为负数：收入合计应大于或等于 0。"


def test_places_follow_the_column() -> None:
    assert parse_decimal("96.5", places=1) == Decimal("96.5")
    with pytest.raises(ValueInputError, match="最多保留 1 位小数"):
        parse_decimal("96.55", places=1, what="评分")


def test_parse_int() -> None:
    assert parse_int("２３") == 23
    assert parse_int("23人", units=("人",)) == 23
    assert parse_int(" ") is None
    with pytest.raises(ValueInputError) as caught:
        parse_int("22.5", what="实有人数")
    assert str(caught.value) == "「22.5」不是有效的实有人数：请填写整数。"
    with pytest.raises(ValueInputError, match="不能小于 0"):
        parse_int("-1")


def test_add_keeps_blank_distinct_from_zero() -> None:
    assert add([None, None]) is None
    assert add([None, Decimal("0")]) == Decimal("0")
    assert add([Decimal("3091.34"), None, Decimal("1744.35"), Decimal("538.05")]) == Decimal("5373.74")


def test_percent() -> None:
    assert format_percent(Decimal("8"), Decimal("10")) == "80%"
    assert format_percent(Decimal("49"), Decimal("50")) == "98%"
    assert format_percent(Decimal("1"), Decimal("0")) == ""


# -- properties --------------------------------------------------------------------

figures = st.decimals(
    min_value=Decimal("-9999999999.99"),
    max_value=Decimal("9999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
FULL_WIDTH = str.maketrans("0123456789.-,", "０１２３４５６７８９．－，")


@given(figures)
def test_format_then_parse_is_identity(value: Decimal) -> None:
    assert parse_decimal(format_decimal(value), negative=True) == value
    assert format_decimal(parse_decimal(format_decimal(value), negative=True)) == format_decimal(value)


@given(figures)
def test_full_width_and_grouped_forms_read_the_same(value: Decimal) -> None:
    text = format_decimal(value)
    assert parse_decimal(text.translate(FULL_WIDTH), negative=True) == value
    grouped = f"{value:,f}"
    assert parse_decimal(grouped + " 万元", negative=True) == value


@given(st.text(max_size=20))
def test_any_text_is_parsed_or_refused_with_the_input_quoted(text: str) -> None:
    try:
        value = parse_decimal(text, negative=True)
    except ValueInputError as exc:
        assert f"「{text}」" in str(exc)
    else:
        assert value is None or value.is_finite()


def test_a_long_paste_is_quoted_short_in_the_message() -> None:
    pasted = "5374.34 " + "这是误粘贴进来的整段文字。" * 5000
    with pytest.raises(ValueInputError) as refused:
        parse_decimal(pasted, what="收入合计")
    message = str(refused.value)
    assert message == "「5374.34 这是误粘贴进来的整段文字。这是误粘贴进来的整段文字。这是误粘贴…」不是有效的收入合计：请只填写数字，可带单位「万元」，例如 5374.34。"


def test_a_true_or_false_is_no_number_and_says_so_plainly() -> None:
    with pytest.raises(ValueInputError) as refused:
        parse_int(True, what="年度")
    assert str(refused.value) == "真假值（true）不是有效的年度：请填写整数。"
