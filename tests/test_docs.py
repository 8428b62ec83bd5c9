"""The user guide's pictures and the README's commands are where the text says."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "使用说明.md"
IMAGES = ROOT / "docs" / "images"


def test_every_picture_of_the_guide_is_there_small_and_used() -> None:
    named = re.findall(r"!\[[^\]]+\]\((images/[^)]+\.png)\)", GUIDE.read_text(encoding="utf-8"))
    on_disk = sorted(p.relative_to(IMAGES.parent).as_posix() for p in IMAGES.glob("*.png"))
    assert sorted(named) == on_disk
    assert [p.name for p in IMAGES.glob("*.png") if p.stat().st_size >= 300 * 1024] == []


def test_the_readme_marks_the_commands_ci_runs() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for marker in ("test-command", "bundle-command", "wheelhouse-command"):
        block = re.search(rf"<!-- {marker} -->\n```sh\n(.+?)\n```", text, re.DOTALL)
        assert block is not None, marker
        assert block.group(1).startswith("python3 -m venv .venv && .venv/bin/python ")


def _guide_rules() -> list[list[str]]:
    """The rows of the guide's table under 「| 规则 | 内容 | 严重程度 |」, split into cells."""
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    start = lines.index("| 规则 | 内容 | 严重程度 |") + 2  # after the header and its |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_the_guides_rule_table_is_the_forms_rules() -> None:
    """Every rule 审核 applies is in the guide, in the form's order and with its severity;
    a rule added, dropped or made a warning in models/form.py fails here until the guide says so."""
    from models.form import RULES, SEVERITY_LABELS

    rows = _guide_rules()
    assert [(row[0], row[2]) for row in rows] == [(r.id, SEVERITY_LABELS[r.severity]) for r in RULES]
    assert [row[0] for row in rows if not row[1]] == []  # each says what it checks
