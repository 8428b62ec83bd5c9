"""The small rule language a form template writes its checks in.

A finance bureau's template states its own checks as data (``[[rules]]`` with
``cell`` / ``equals`` or ``when`` / ``require``), for example::

    cell = "score"
    equals = "coefficient / 100 * weight"
    require = "met(actual, nature, either(adjusted, initial))"

This module reads such a text into a tree and evaluates it over a report's
data; nothing is ever handed to Python's ``eval``. What it knows:

- numbers (``100``, ``0.5``), texts in double quotes (``"定性"``);
- names: a column of the current row (``weight``, in a rule with ``each``), a cell
  of a section (``budget.executed``) or a constant of the template (``budget_weight``);
- ``+ - * /`` (also ``× ÷``), comparisons ``= != < <= > >=`` (also ``≠ ≤ ≥``),
  ``and or not`` and parentheses;
- functions: ``sum(table.column)`` over every row, ``count(table)``, ``min``, ``max``,
  ``abs``, ``round(x, places)``, ``either(a, b, …)`` (the first that is filled in),
  ``blank(x)``, ``filled(x)``, ``number(text)`` (the number in a text such as
  ``≥95%``) and ``met(actual, nature, target)`` (whether a completed value meets its
  target: ``nature`` ``≥`` or ``≤`` or ``=``, a text such as ``≥95`` read for its
  comparator otherwise).

Figures are ``Decimal``; a blank is ``None`` and stays blank through arithmetic
(``blank + 1`` is blank), so a check whose figures are not all filled in says
nothing — as the program's own checks do. Every mistake in a formula is a
:class:`FormulaError` whose text says what and where, for the template's
validator to place in the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation
from typing import Any

from models.money import format_decimal

#: Longest formula read; a rule is a line, not a page.
MAX_TEXT = 500
#: Deepest nesting of parentheses, signs, ``not`` and function calls: a real rule has a
#: few levels; a formula of hundreds would only exhaust the stack that reads and checks it.
MAX_DEPTH = 32
#: Deepest tree a formula makes (``1+1+…+1`` is one level a term): it is walked
#: recursively to check, evaluate and show it.
MAX_LEVELS = 100
#: Most digits of a number written in a formula (a weight, a rate, a limit).
MAX_DIGITS = 20


class FormulaError(Exception):
    """A formula that cannot be read or makes no sense; the text says why."""


# ---------------------------------------------------------------------------
# The tree
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Name:
    #: ``weight`` (a column of the row or a constant) or ``budget.executed``.
    path: str


@dataclass(frozen=True)
class Call:
    fn: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Expr


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr


Expr = Num | Str | Name | Call | Unary | Binary

#: Arithmetic, comparison and logic, each with its precedence (higher binds tighter).
_ARITH = {"+": 4, "-": 4, "*": 5, "/": 5}
_COMPARE = {"=": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3}
_LOGIC = {"or": 1, "and": 2}
_SPELLINGS = {"×": "*", "÷": "/", "==": "=", "≠": "!=", "≤": "<=", "≥": ">=", "<>": "!="}
#: Function names and how many arguments each takes (None: one or more).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "sum": (1, 1), "count": (1, 1), "min": (1, None), "max": (1, None), "abs": (1, 1),
    "round": (2, 2), "either": (1, None), "blank": (1, 1), "filled": (1, 1), "number": (1, 1),
    "met": (3, 3),
}

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+(?:\.\d+)?)
      | (?P<str>"[^"\n]*")
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<op><=|>=|==|!=|<>|[-+*/×÷=<>≤≥≠(),])
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    folded = "".join(ch if ch in "×÷≤≥≠" else unicodedata.normalize("NFKC", ch) for ch in text)
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(folded):
        if folded[pos:].strip() == "":
            break
        m = _TOKEN.match(folded, pos)
        if m is None or m.end() == pos:
            rest = folded[pos:].strip()
            raise FormulaError(f"第 {pos + 1} 个字符起「{rest[:10]}」无法识别（只能用数字、名字、带双引号的文字和 + - * / 等符号）")
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "name" and value in ("and", "or", "not"):
            kind = "op"
        if kind == "op":
            value = _SPELLINGS.get(value, value)
        out.append((kind, value))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FormulaError(f"公式不完整：{'缺少「' + value + '」' if value else '末尾缺少内容'}")
        if value is not None and token[1] != value:
            raise FormulaError(f"此处应为「{value}」，而不是「{token[1]}」")
        self.at += 1
        return token

    def expression(self, floor: int = 0) -> Expr:
        left = self.unary()
        while True:
            token = self.peek()
            if token is None or token[0] != "op":
                return left
            op = token[1]
            power = _ARITH.get(op) or _COMPARE.get(op) or _LOGIC.get(op)
            if power is None or power <= floor:
                return left
            self.at += 1
            right = self.expression(power)
            if op in _COMPARE and isinstance(left, Binary) and left.op in _COMPARE:
                raise FormulaError("比较不能连写（a < b < c），请用 and 分开")
            left = Binary(op, left, right)

    def unary(self) -> Expr:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise FormulaError(f"公式嵌套过深（括号、正负号、not 和函数最多套 {MAX_DEPTH} 层）")
            return self._unary()
        finally:
            self.depth -= 1

    def _unary(self) -> Expr:
        token = self.take()
        kind, value = token
        if kind == "op" and value == "-":
            return Unary("-", self.unary())
        if kind == "op" and value == "not":
            return Unary("not", self.expression(_LOGIC["and"]))
        if kind == "op" and value == "(":
            inner = self.expression()
            self.take(")")
            return inner
        if kind == "num":
            if len(value.replace(".", "")) > MAX_DIGITS:
                raise FormulaError(f"数字 {value[:12]}… 过长（最多 {MAX_DIGITS} 位）")
            return Num(Decimal(value))
        if kind == "str":
            return Str(value[1:-1])
        if kind == "name":
            following = self.peek()
            if following == ("op", "("):
                if value not in FUNCTIONS:
                    raise FormulaError(f"没有名为「{value}」的函数（可用：{'、'.join(FUNCTIONS)}）")
                self.at += 1
                args: list[Expr] = []
                if self.peek() != ("op", ")"):
                    args.append(self.expression())
                    while self.peek() == ("op", ","):
                        self.at += 1
                        args.append(self.expression())
                self.take(")")
                low, high = FUNCTIONS[value]
                if len(args) < low or (high is not None and len(args) > high):
                    wanted = f"{low}" if low == high else f"至少 {low}"
                    raise FormulaError(f"函数 {value} 应有 {wanted} 个参数，这里有 {len(args)} 个")
                return Call(value, tuple(args))
            return Name(value)
        raise FormulaError(f"此处不应出现「{value}」")


def parse(text: str) -> Expr:
    """A formula's tree; raises :class:`FormulaError` saying what cannot be read."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("公式不能为空")
    if len(text) > MAX_TEXT:
        raise FormulaError(f"公式过长（最多 {MAX_TEXT} 个字符）")
    parser = _Parser(text)
    tree = parser.expression()
    rest = parser.peek()
    if rest is not None:
        raise FormulaError(f"「{rest[1]}」之前的公式已经完整，多出的部分无法理解")
    if _levels(tree) > MAX_LEVELS:
        raise FormulaError(f"公式过于复杂（超过 {MAX_LEVELS} 层运算），请拆成几条规则")
    return tree


def _levels(tree: Expr) -> int:
    """How deep the tree is, found without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, Unary):
            stack.append((node.operand, level + 1))
        elif isinstance(node, Binary):
            stack += [(node.left, level + 1), (node.right, level + 1)]
        elif isinstance(node, Call):
            stack += [(arg, level + 1) for arg in node.args]
    return deepest


def names(tree: Expr) -> list[str]:
    """Every name a formula reads, in order, once each."""
    out: list[str] = []

    def walk(node: Expr) -> None:
        if isinstance(node, Name) and node.path not in out:
            out.append(node.path)
        elif isinstance(node, Call):
            for arg in node.args:
                walk(arg)
        elif isinstance(node, Unary):
            walk(node.operand)
        elif isinstance(node, Binary):
            walk(node.left)
            walk(node.right)

    walk(tree)
    return out


# ---------------------------------------------------------------------------
# Types: what a template's validator checks before any report is read
# ---------------------------------------------------------------------------

#: "num" a figure, "text", "bool" true or false, "rows" a table (for count).
Type = str


def check_types(tree: Expr, resolve: Callable[[str, bool], Type], want: Type) -> None:
    """Raise :class:`FormulaError` where the formula mixes kinds of value.

    ``resolve(name, over_rows)`` gives a name's type ("num", "text", "rows") or raises
    :class:`FormulaError` for a name that names nothing; ``over_rows`` is true inside
    ``sum``/``count``, where ``table.column`` names a column of every row."""

    def kind(node: Expr, over_rows: bool = False) -> Type:
        if isinstance(node, Num):
            return "num"
        if isinstance(node, Str):
            return "text"
        if isinstance(node, Name):
            return resolve(node.path, over_rows)
        if isinstance(node, Unary):
            inner = kind(node.operand)
            expect = "bool" if node.op == "not" else "num"
            if inner != expect:
                raise FormulaError(f"「{node.op}」后面应为{_TYPE_WORDS[expect]}")
            return expect
        if isinstance(node, Binary):
            a, b = kind(node.left), kind(node.right)
            if node.op in _ARITH:
                for side, t in ((node.left, a), (node.right, b)):
                    if t != "num":
                        raise FormulaError(f"{_shown(side)}是{_TYPE_WORDS[t]}，不能参与 {node.op} 运算")
                return "num"
            if node.op in _LOGIC:
                for side, t in ((node.left, a), (node.right, b)):
                    if t != "bool":
                        raise FormulaError(f"{node.op} 两边应为条件（比较），{_shown(side)}不是")
                return "bool"
            if a != b or a not in ("num", "text") or (a == "text" and node.op not in ("=", "!=")):
                raise FormulaError(f"{_shown(node.left)}与{_shown(node.right)}不能用「{node.op}」比较")
            return "bool"
        assert isinstance(node, Call)
        fn, args = node.fn, node.args
        if fn in ("sum", "count"):
            if not isinstance(args[0], Name) or (fn == "sum" and "." not in args[0].path):
                raise FormulaError(f"{fn} 的参数应为{'表.栏' if fn == 'sum' else '表'}的名字，例如 sum(indicators.score)")
            t = resolve(args[0].path, True)
            if fn == "sum" and t != "num":
                raise FormulaError(f"sum 只能对数字栏求和，{args[0].path} 是{_TYPE_WORDS[t]}")
            if fn == "count" and t != "rows":
                raise FormulaError(f"count 的参数应为表的名字，{args[0].path} 不是表")
            return "num"
        types = [kind(a) for a in args]
        if fn in ("min", "max", "abs", "round"):
            if any(t != "num" for t in types):
                raise FormulaError(f"{fn} 的参数应为数字")
            if fn == "round" and not (isinstance(args[1], Num) and args[1].value == args[1].value.to_integral()):
                raise FormulaError("round 的第二个参数应为小数位数（整数），例如 round(x, 2)")
            return "num"
        if fn == "either":
            if len(set(types)) != 1 or types[0] == "bool":
                raise FormulaError("either 的参数应同为数字或同为文字")
            return types[0]
        if fn in ("blank", "filled"):
            return "bool"
        if fn == "number":
            if types[0] != "text":
                raise FormulaError("number 的参数应为文字栏")
            return "num"
        # met(actual, nature, target)
        if any(t not in ("num", "text") for t in types):
            raise FormulaError("met 的参数应为完成值、指标性质、指标值")
        return "bool"

    got = kind(tree)
    if got != want:
        raise FormulaError(f"这里应为{_TYPE_WORDS[want]}，而公式的结果是{_TYPE_WORDS[got]}")


_TYPE_WORDS = {"num": "数字", "text": "文字", "bool": "条件（比较的结果）", "rows": "表"}


def _shown(node: Expr) -> str:
    if isinstance(node, Name):
        return f"「{node.path}」"
    if isinstance(node, Str):
        return f"文字「{node.value}」"
    if isinstance(node, Num):
        return f"数字 {node.value}"
    return "这一部分"


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


class Scope:
    """What names mean while a formula is evaluated.

    ``row``: the current row's values by column key (rules with ``each``);
    ``data``: the report's data tree; ``constants``: the template's constants."""

    def __init__(self, data: Mapping[str, Any], constants: Mapping[str, Decimal],
                 row: Mapping[str, Any] | None = None) -> None:
        self.data = data
        self.constants = constants
        self.row = row

    def value(self, path: str) -> Any:
        if self.row is not None and path in self.row:
            return self.row[path]
        if path in self.constants:
            return self.constants[path]
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, Mapping):
                return None
            node = node.get(part)
        return node

    def column(self, path: str) -> list[Any]:
        table, _, column = path.rpartition(".")
        rows = self.value(table) if table else None
        if not isinstance(rows, list):
            return []
        return [r.get(column) if isinstance(r, Mapping) else None for r in rows]

    def rows(self, path: str) -> list[Any]:
        rows = self.value(path)
        return rows if isinstance(rows, list) else []


def evaluate(tree: Expr, scope: Scope) -> Any:
    """The value of a formula: a Decimal, a text, True/False, or None where it depends on
    a blank (or a division by zero): then nothing can be said."""
    if isinstance(tree, Num):
        return tree.value
    if isinstance(tree, Str):
        return tree.value
    if isinstance(tree, Name):
        value = scope.value(tree.path)
        return value if not isinstance(value, int) or isinstance(value, bool) else Decimal(value)
    if isinstance(tree, Unary):
        inner = evaluate(tree.operand, scope)
        if inner is None:
            return None
        return (not inner) if tree.op == "not" else -inner
    if isinstance(tree, Binary):
        return _binary(tree, scope)
    return _call(tree, scope)


def _binary(tree: Binary, scope: Scope) -> Any:
    op = tree.op
    if op in _LOGIC:
        a, b = evaluate(tree.left, scope), evaluate(tree.right, scope)
        if op == "and":
            if a is False or b is False:
                return False
            return None if a is None or b is None else True
        if a is True or b is True:
            return True
        return None if a is None or b is None else False
    a, b = evaluate(tree.left, scope), evaluate(tree.right, scope)
    if a is None or b is None:
        return None
    if op in _ARITH:
        try:
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return a / b if b != 0 else None
        except (InvalidOperation, DivisionByZero):
            return None
    if isinstance(a, str) != isinstance(b, str):
        return None
    if isinstance(a, str):
        a, b = a.strip(), b.strip()
    return {
        "=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
    }[op]


def _call(tree: Call, scope: Scope) -> Any:
    fn = tree.fn
    if fn == "sum":
        arg = tree.args[0]
        assert isinstance(arg, Name)
        values = [_number(v) for v in scope.column(arg.path)]
        present = [v for v in values if v is not None]
        return sum(present, Decimal(0)) if present else None
    if fn == "count":
        arg = tree.args[0]
        assert isinstance(arg, Name)
        return Decimal(len(scope.rows(arg.path)))
    args = [evaluate(a, scope) for a in tree.args]
    if fn == "either":
        return next((a for a in args if a is not None and a != ""), None)
    if fn == "blank":
        return args[0] is None or args[0] == ""
    if fn == "filled":
        return not (args[0] is None or args[0] == "")
    if fn == "number":
        return _number(args[0])
    if fn == "met":
        return met(*args)
    if any(a is None for a in args):
        return None
    if fn == "min":
        return min(args)
    if fn == "max":
        return max(args)
    if fn == "abs":
        return abs(args[0])
    # round(x, places)
    return quantize(args[0], int(args[1]))


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    from models.quantity import parse as parse_quantity

    found = parse_quantity(str(value))
    return found.value if found is not None else None


def quantize(value: Decimal, places: int) -> Decimal:
    """Rounded half up to ``places`` decimals, as a clerk rounds by hand."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


#: How a 指标性质 word compares a completed value with its target.
_NATURES = {"≥": ">=", ">=": ">=", "正向": ">=", "≤": "<=", "<=": "<=", "反向": "<=", "=": "=", "＝": "="}


def met(actual: Any, nature: Any, target: Any) -> bool | None:
    """Whether a completed value meets its target; None when that cannot be told (a
    blank, a text with no number, a 定性 indicator): then no rule says anything.

    ``nature`` is the 指标性质 as written (``≥``, ``≤``, ``=``, 正向, 反向); where it is
    none of these the target's own comparator is read (``≥95%``)."""
    from models.quantity import parse as parse_quantity

    if actual is None or target is None or actual == "" or target == "":
        return None
    if isinstance(actual, str) and isinstance(target, str) and actual.strip() == target.strip():
        return True
    goal = parse_quantity(str(target)) if not isinstance(target, Decimal) else None
    done = _number(actual)
    aim = target if isinstance(target, Decimal) else (goal.value if goal is not None else None)
    if done is None or aim is None:
        return None
    sign = _NATURES.get(str(nature or "").strip())
    if sign is None and goal is not None:
        sign = {"≥": ">=", ">": ">=", "≤": "<=", "<": "<=", "=": ">="}[goal.comparator]
    if sign is None:
        return None
    return {">=": done >= aim, "<=": done <= aim, "=": done == aim}[sign]


# ---------------------------------------------------------------------------
# How a formula reads in a message
# ---------------------------------------------------------------------------


def value_text(value: Any) -> str:
    """A value as a message shows it: blank as （空）, a figure as the clerk writes it."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def shown(tree: Expr, scope: Scope, label: Callable[[str], str]) -> str:
    """The formula as a clerk reads it, with each name's label and value:
    ``得分系数（%） 95 ÷ 100 × 指标权重 10``."""

    def walk(node: Expr, outer: int = 0) -> str:
        if isinstance(node, Num):
            return format_decimal(node.value)
        if isinstance(node, Str):
            return f"「{node.value}」"
        if isinstance(node, Name):
            return f"{label(node.path)} {value_text(scope.value(node.path))}"
        if isinstance(node, Unary):
            return f"{'非' if node.op == 'not' else '−'}{walk(node.operand, 9)}"
        if isinstance(node, Binary):
            power = _ARITH.get(node.op) or _COMPARE.get(node.op) or _LOGIC[node.op]
            sign = {"*": "×", "/": "÷", "-": "−", "<=": "≤", ">=": "≥", "!=": "≠", "and": "且", "or": "或"}.get(
                node.op, node.op)
            text = f"{walk(node.left, power)} {sign} {walk(node.right, power + 1)}"
            return f"（{text}）" if power < outer else text
        if node.fn == "sum":
            arg = node.args[0]
            assert isinstance(arg, Name)
            return f"各行{label(arg.path)}之和 {value_text(evaluate(node, scope))}"
        inner = "，".join(walk(a) for a in node.args)
        return f"{_FUNCTION_WORDS.get(node.fn, node.fn)}（{inner}）"

    return walk(tree)


_FUNCTION_WORDS = {
    "min": "较小者", "max": "较大者", "abs": "绝对值", "round": "四舍五入", "either": "先填者",
    "blank": "为空", "filled": "已填", "number": "数字", "met": "达到目标", "count": "行数",
}
