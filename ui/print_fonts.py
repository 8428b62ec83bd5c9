"""How the clerk prints: the faces chosen (settings print/body, print/heading), 双面打印
(print/duplex) and 金额显示 (view/amounts).

Read from the settings when the window starts, without loading reportlab or
Qt's printing and PDF modules: the faces are looked up on this PC, and the
print options made, at the first print. :mod:`ui.printing` prints with them.
"""

from __future__ import annotations

from typing import Any

_chosen: dict[str, Any] = {}


def chosen_fonts() -> Any:
    """The FontSet the PDF is printed in: the clerk's choice where this PC still has
    those faces, else the shipped ones."""
    from reports.fonts import FontSet, body_faces, heading_faces

    if "fonts" not in _chosen:
        body_key, heading_key = _chosen.get("keys") or ("", "")
        body = next((f for f in body_faces() if f.key == body_key), None) if body_key else None
        heading = next((f for f in heading_faces() if f.key == heading_key), None) if heading_key else None
        default = FontSet()
        _chosen["fonts"] = FontSet(body=body or default.body, heading=heading or default.heading)
    return _chosen["fonts"]


def apply_font_settings(settings: Any) -> None:
    """Take the faces named in the settings."""
    _chosen.pop("fonts", None)
    _chosen["keys"] = (str(settings.value("print/body", "") or ""), str(settings.value("print/heading", "") or ""))


def chosen_options() -> Any:
    """How the clerk prints (双面打印, 金额显示), from the window's settings."""
    from models.money import AMOUNT_STYLES
    from reports.pdf import PrintOptions

    duplex, amounts = _chosen.get("print") or (False, "typed")
    return PrintOptions(duplex=duplex, amounts=amounts if amounts in AMOUNT_STYLES else "typed")


def apply_print_settings(settings: Any) -> None:
    """Take 双面打印 (print/duplex) and 金额显示 (view/amounts) from the settings."""
    amounts = str(settings.value("view/amounts", "typed"))
    duplex = str(settings.value("print/duplex", "false")) == "true"
    _chosen["print"] = (duplex, amounts)
    _chosen["settings"] = settings


def set_duplex(on: bool) -> None:
    """双面打印 chosen in the preview: kept in the settings for the next print too."""
    settings = _chosen.get("settings")
    if settings is not None:
        settings.setValue("print/duplex", "true" if on else "false")
        apply_print_settings(settings)
    else:
        _chosen["print"] = (on, (_chosen.get("print") or (False, "typed"))[1])
