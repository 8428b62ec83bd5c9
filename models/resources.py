"""Files shipped with the program: fonts with their licences, the sample report.

They live in the top-level ``resources/`` folder of a checkout. An installed
wheel carries the same folder, every file of it, as the package
``ziping_resources`` (``pyproject.toml`` maps one onto the other), read
where it lies when it is a folder on disk, else through :mod:`importlib.resources`.
A PyInstaller bundle holds it as ``resources/`` beside the program's modules, as a
checkout does.

Callers name a file by its place under ``resources/``:
``resources.path("fonts", "UMingCN.ttf")``. A file added under ``resources/``
is shipped everywhere without a change here.
"""

from __future__ import annotations

import atexit
import contextlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

#: The name the ``resources/`` folder is installed under.
PACKAGE = "ziping_resources"

#: Beside ``models/``: a checkout, or a PyInstaller bundle (``sys._MEIPASS``).
_BESIDE = Path(__file__).resolve().parent.parent / "resources"

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


@cache
def _installed() -> Traversable | None:
    """The installed package's folder, or None outside an install."""
    import importlib.machinery
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None:
        return None
    if isinstance(spec.loader, importlib.machinery.SourceFileLoader) and spec.origin:
        # A folder on disk (every install but a zipped one): the folder itself, as
        # importlib.resources would give it, without importing importlib.resources
        # (some milliseconds of every start).
        return Path(spec.origin).parent
    import importlib.resources

    return importlib.resources.files(PACKAGE)


def path(*parts: str) -> Path:
    """The file (or folder) ``resources/<parts…>`` as a path on disk.

    The path may not exist (a file that was never shipped): opening it then
    fails with the path in the message, which is what a clerk should read.
    """
    found = _installed()
    if found is None:
        return _BESIDE.joinpath(*parts)
    node = found.joinpath(*parts)
    if isinstance(node, Path):
        return node
    # Zipped or otherwise not on disk: extract once, kept until the program ends.
    import importlib.resources

    return _extracted.enter_context(importlib.resources.as_file(node))
