"""Fonts for print: the faces we ship, the government faces a PC may have, and coverage.

The program prints the same on a PC with no Chinese fonts: a Song-style face
(AR PL UMing CN) for the body and a Hei-style face (WenQuanYi Micro Hei) for
headings ship in ``resources/fonts`` with their licences. Where Windows has
the government standard faces (宋体, 仿宋, 黑体) the clerk may choose them.

Each text is drawn in its face, falling back to the other for a character the
first lacks; a character no face can draw is reported before printing, never
dropped.

A face keeps the subsets it embedded (the glyphs of up to 256 characters each)
and their compressed bytes between renders: re-slicing the tables of a 20 MB
face for every preview was a third of a re-render.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import reportlab
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFace

from models import resources
from models.errors import ZipingError
from models.fileio import write_atomic

FONT_DIR = resources.path("fonts")


@dataclass(frozen=True)
class Face:
    key: str
    label: str
    path: Path
    index: int = 0

    @property
    def pdf_name(self) -> str:
        return f"Ziping-{self.key}"


SHIPPED_SONG = Face("song", "文鼎明体（宋体风格，随程序提供）", FONT_DIR / "UMingCN.ttf")
SHIPPED_HEI = Face("hei", "文泉驿微米黑（黑体风格，随程序提供）", FONT_DIR / "WenQuanYiMicroHei.ttf")
#: The 楷体 of the 评价报告's （一） headings where the PC has no 楷体.
SHIPPED_KAI = Face("kai", "文鼎楷体（楷体风格，随程序提供）", FONT_DIR / "UKaiCN-GB2312.ttf")

#: Government standard faces by their Windows file names.
_SYSTEM_FILES: dict[str, tuple[str, str, int]] = {
    "simsun": ("宋体", "simsun.ttc", 0),
    "simfang": ("仿宋", "simfang.ttf", 0),
    "simhei": ("黑体", "simhei.ttf", 0),
    "fangsong_gb2312": ("仿宋_GB2312", "FS_GB2312.ttf", 0),
    "simkai": ("楷体", "simkai.ttf", 0),
    "kaiti_gb2312": ("楷体_GB2312", "KAITI_GB2312.TTF", 0),
    "fzxbs": ("方正小标宋简体", "FZXBSJW.TTF", 0),
}


def _font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs += [Path.home() / ".fonts", Path.home() / ".local/share/fonts", Path("/usr/share/fonts")]
    return [d for d in dirs if d.is_dir()]


def system_faces() -> list[Face]:
    """The government standard faces installed on this PC."""
    wanted = {filename.lower(): key for key, (_label, filename, _index) in _SYSTEM_FILES.items()}
    paths: dict[str, Path] = {}
    for folder in _font_dirs():
        try:
            for p in folder.rglob("*"):
                key = wanted.get(p.name.lower())
                if key is not None and key not in paths:
                    paths[key] = p
        except OSError:
            continue
    return [
        Face(key, f"{label}（本机字体）", paths[key], index)
        for key, (label, _filename, index) in _SYSTEM_FILES.items()
        if key in paths
    ]


def body_faces() -> list[Face]:
    """Faces a clerk may print the body in: the shipped Song face, then 宋体/仿宋 if present."""
    return [SHIPPED_SONG, *(f for f in system_faces() if f.key in ("simsun", "simfang", "fangsong_gb2312"))]


def heading_faces() -> list[Face]:
    """Faces for headings: the shipped Hei face, then 黑体 if present."""
    return [SHIPPED_HEI, *(f for f in system_faces() if f.key == "simhei")]


@dataclass(frozen=True)
class FontSet:
    """The faces a document is printed in: body text and headings."""

    body: Face = SHIPPED_SONG
    heading: Face = SHIPPED_HEI

    def chain(self, primary: Face) -> tuple[Face, ...]:
        others = [f for f in (self.body, self.heading, SHIPPED_SONG, SHIPPED_HEI) if f != primary]
        return (primary, *dict.fromkeys(others))


class FontError(ZipingError):
    pass


class MissingGlyphs(ZipingError):
    """Characters no available face can draw; printing would lose them."""

    def __init__(self, missing: list[tuple[str, str]]) -> None:
        self.missing = missing
        shown = "；".join(f"「{ch}」（{where}）" for where, ch in missing[:12])
        more = f"等共 {len(missing)} 处" if len(missing) > 12 else ""
        super().__init__(
            f"以下文字在打印字体中没有字形，打印出来会缺字：{shown}{more}。"
            "请把这些字改为常用写法，或在设置中选择其他字体后再打印。"
        )


#: Bump when what the metrics cache holds changes.
_CACHE_FORMAT = 1


def _cache_file(face: Face) -> Path | None:
    """Where the parsed metrics of a face are kept between runs."""
    try:
        import platformdirs

        stat = face.path.stat()
        key = f"{_CACHE_FORMAT}|{reportlab.Version}|{face.path.name}|{stat.st_size}|{stat.st_mtime_ns}|{face.index}"
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        return Path(platformdirs.user_cache_dir("ziping", appauthor=False)) / "fonts" / f"{digest}.pickle"
    except OSError:
        return None


#: Subsets (and compressed subsets) kept per face: a document has a few of each face.
KEPT_SUBSETS = 32


class _Deflate:
    """The FlateDecode filter of a font subset, its result kept with the face."""

    pdfname = "FlateDecode"

    def __init__(self, kept: OrderedDict[bytes, bytes]) -> None:
        self.kept = kept

    def encode(self, data: bytes) -> bytes:
        return _keep(self.kept, data, lambda: zlib.compress(data))


def _keep(kept: OrderedDict[Any, Any], key: Any, make: Any) -> Any:
    try:
        kept.move_to_end(key)
        return kept[key]
    except KeyError:
        value = kept[key] = make()
        if len(kept) > KEPT_SUBSETS:
            kept.popitem(last=False)
        return value


class KeepingFace(TTFontFace):
    """A parsed face whose subsets, and their compressed bytes, are made once."""

    def makeSubset(self, subset: Any) -> bytes:  # noqa: N802 - reportlab's name
        kept = self.__dict__.setdefault("_subsets", OrderedDict())
        data: bytes = _keep(kept, tuple(subset), lambda: super(KeepingFace, self).makeSubset(subset))
        return data

    def addSubsetObjects(self, doc: Any, fontname: str, subset: Any) -> Any:  # noqa: N802 - reportlab's name
        reference = super().addSubsetObjects(doc, fontname, subset)
        stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if isinstance(stream, pdfdoc.PDFStream) and stream.filters == [pdfdoc.PDFZCompress]:
            stream.filters = [_Deflate(self.__dict__.setdefault("_deflated", OrderedDict()))]
        return reference


#: What of a parsed face is not kept in the metrics cache.
_NOT_CACHED = ("_ttf_data", "_pdfScale", "_subsets", "_deflated")


def _scale(units_per_em: int) -> Any:
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _parse(face: Face) -> KeepingFace:
    """Parse a face, or take its metrics from the cache: parsing the tables of a
    CJK face with tens of thousands of glyphs is most of a PDF's start-up time."""
    cache = _cache_file(face)
    if cache is not None and cache.exists():
        try:
            state = pickle.loads(cache.read_bytes())
            parsed = KeepingFace.__new__(KeepingFace)
            parsed.__dict__.update(state)
            parsed._ttf_data = face.path.read_bytes()
            parsed._pdfScale = _scale(parsed.unitsPerEm)
            return parsed
        except Exception:  # noqa: BLE001 - a stale or damaged cache is only re-made
            pass
    parsed = KeepingFace(str(face.path), subfontIndex=face.index)
    if cache is not None:
        state = {k: v for k, v in parsed.__dict__.items() if k not in _NOT_CACHED}
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cache, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, ZipingError, pickle.PicklingError):
            pass
    return parsed


_LOCK = threading.Lock()


@cache
def load(face: Face) -> TTFont:
    """Register a face with reportlab once; the PDF embeds only the glyphs used."""
    with _LOCK:
        try:
            parsed = _parse(face)
            original = ttfonts.TTFontFace
            ttfonts.TTFontFace = lambda *_a, **_k: parsed
            try:
                font = TTFont(face.pdf_name, str(face.path), subfontIndex=face.index)
            finally:
                ttfonts.TTFontFace = original
        except (OSError, TTFError) as exc:
            from models.fileio import describe, shown

            why = describe(exc) if isinstance(exc, OSError) else "不是可用的 TrueType 字体文件，或已损坏"
            raise FontError(f"无法读取字体文件「{shown(face.path)}」：{why}。请重新安装程序或选择其他字体。") from None
        pdfmetrics.registerFont(font)
        return font


@cache
def _cmap(face: Face) -> frozenset[int]:
    return frozenset(load(face).face.charToGlyph)


def escape(text: str) -> str:
    """Paragraph markup is XML-like: ``&``, ``<`` and ``>`` are text, not tags.

    (xml.sax.saxutils.escape would do, but importing it pulls in urllib and
    http.client: a fifth of the command line's start-up.)
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _drawable(ch: str) -> bool:
    return ch in "\n\t" or ord(ch) < 32


def missing(texts: Iterable[tuple[str, str]], fonts: FontSet) -> list[tuple[str, str]]:
    """``(where, char)`` for every character that no face of ``fonts`` can draw."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for where, text in texts:
        for ch in _lacking(text, fonts):
            if (where, ch) not in seen:
                seen.add((where, ch))
                out.append((where, ch))
    return out


@lru_cache(maxsize=4096)
def _lacking(text: str, fonts: FontSet) -> tuple[str, ...]:
    """The characters of ``text`` no face of ``fonts`` has, in order (kept: the preview
    checks every text of the report after every edit)."""
    cmaps = [_cmap(f) for f in fonts.chain(fonts.body)]
    return tuple(
        ch for ch in dict.fromkeys(text)
        if not (_drawable(ch) or ch == " ") and not any(ord(ch) in m for m in cmaps)
    )


def markup(text: str, primary: Face, fonts: FontSet) -> str:
    """Paragraph markup of ``text``: escaped, line breaks kept, and each character the
    primary face lacks set in the first face of the chain that has it."""
    chain = fonts.chain(primary)
    cmaps = [_cmap(f) for f in chain]
    if all(ord(ch) in cmaps[0] for ch in set(text) - {"\n"}):
        return escape(text).replace("\n", "<br/>")  # the usual case: one face has it all
    parts: list[str] = []
    run: list[str] = []
    run_face = 0

    def flush() -> None:
        if not run:
            return
        body = escape("".join(run)).replace("\n", "<br/>")
        if run_face == 0:
            parts.append(body)
        else:
            parts.append(f'<font name="{chain[run_face].pdf_name}">{body}</font>')
        run.clear()

    for ch in text:
        face = 0
        if ch != "\n" and ord(ch) not in cmaps[0]:
            face = next((i for i, m in enumerate(cmaps) if ord(ch) in m), 0)
        if face != run_face:
            flush()
            run_face = face
        run.append(ch)
    flush()
    return "".join(parts)
