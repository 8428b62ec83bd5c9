"""Every wheel the program needs, per platform, for PCs that never see the internet.

    python packaging/wheelhouse.py [--python 3.11 3.12 …] [--platform win_amd64 …]

writes ``dist/wheelhouse/<platform>/`` for Windows x64, Linux x86_64 and Linux
ARM (aarch64): the program's own wheel, its dependencies for each Python
version, ``install.bat`` / ``install.sh`` (which install with ``--no-index``
into ``ziping-env`` beside them) and ``说明.txt`` saying what each Python and
glibc gets. Run it on any PC with internet; the folders are then copied to
the offline PCs.

Two things pip does not do by itself:

- Environment markers. ``pip download --platform`` picks wheels for the
  target but evaluates markers (``python_version < '3.12'``,
  ``platform_system == 'Windows'`` …) for the Python running it, so the Qt
  pair chosen per Python and Windows-only dependencies would come out wrong.
  pip runs here with its marker environment set to the target's.
- Older Linux systems. The newest Qt wheels need a recent glibc (2.34 on
  x86_64, 2.39 on ARM); the 信创 systems in use have 2.28 to 2.31. Each Linux
  folder also holds the newest wheels those can run, and pip on the PC picks
  what fits. Where no QtPdf wheel fits (Python 3.12 and later on an older ARM
  system) ``install.sh`` installs without it: the print preview then opens the
  system's PDF reader.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "dist" / "wheelhouse"
PYTHONS = ("3.11", "3.12", "3.13")
#: The packages that carry QtPdf (the print preview); the program runs without them.
QTPDF = ("pyside6-pdf", "pyside6-addons")

#: Marker values of each target (the rest are taken from the running Python).
MARKERS = {
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                  "platform_machine": "AMD64"},
    "manylinux_x86_64": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                         "platform_machine": "x86_64"},
    "manylinux_aarch64": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                          "platform_machine": "aarch64"},
}
#: Linux systems by the newest glibc they have: 2.28 (统信 UOS 20, 麒麟 V10),
#: 2.31 (Debian 11, Ubuntu 20.04), 2.39 (Ubuntu 24.04 and newer).
GLIBC = {"manylinux_x86_64": ("2.28", "2.39"), "manylinux_aarch64": ("2.28", "2.31", "2.39")}

#: pip, with the marker environment of the target (JSON in argv[1]).
_PIP = """
import json, sys
from pip._vendor.packaging import markers
target = json.loads(sys.argv[1])
_default = markers.default_environment
markers.default_environment = lambda: {**_default(), **target}
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def platform_tags(platform: str, glibc: str | None) -> list[str]:
    """The wheel tags a PC of ``platform`` with ``glibc`` accepts."""
    if glibc is None:
        return [platform]
    arch = platform.removeprefix("manylinux_")
    newest = int(glibc.split(".")[1])
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(17, newest + 1)]
    return [*tags, f"manylinux2014_{arch}"]


def markers(platform: str, python: str) -> dict[str, str]:
    return {**MARKERS[platform], "python_version": python, "python_full_version": f"{python}.0",
            "implementation_name": "cpython", "platform_python_implementation": "CPython"}


def download(requirements: list[str], folder: Path, platform: str, python: str, glibc: str | None) -> bool:
    """Wheels of ``requirements`` and what they need, as pip on the target would pick."""
    args = ["download", "--quiet", "--only-binary=:all:", "--dest", str(folder),
            "--python-version", python, "--implementation", "cp", "--abi", f"cp{python.replace('.', '')}",
            "--abi", "abi3", "--abi", "none"]
    for tag in platform_tags(platform, glibc):
        args += ["--platform", tag]
    done = subprocess.run([sys.executable, "-c", _PIP, json.dumps(markers(platform, python)), *args, *requirements],
                          capture_output=True, text=True, check=False)
    return done.returncode == 0


def build_wheel(into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(into), str(ROOT)],
                   check=True)
    (wheel,) = into.glob("ziping-*.whl")
    return wheel


def requirements_of(wheel: Path) -> list[str]:
    """The wheel's Requires-Dist lines (markers kept)."""
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        lines = z.read(name).decode("utf-8").splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.startswith("Requires-Dist:")]


def without_qtpdf(requirements: list[str]) -> list[str]:
    def name(req: str) -> str:
        found = re.match(r"[A-Za-z0-9._-]+", req.strip())
        return found.group(0).lower() if found else ""

    return [r for r in requirements if "extra ==" not in r and name(r) not in QTPDF]


INSTALL_SH = """#!/bin/sh
# 离线安装绩效自评填报：从本文件夹安装（不联网），装在 ziping-env 文件夹中。
# 用法：sh install.sh [安装到的文件夹]；需要 Python 3.11 及以上（可用 PYTHON=python3.12 指定）。
set -e
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
target=${1:-"$here/ziping-env"}
"$python" -m venv "$target"
pip() { "$target/bin/python" -m pip install --no-index --find-links "$here" "$@"; }
if ! pip ziping; then
  echo "本机的系统较旧，没有可用的 Qt PDF 组件：改为不带程序内打印预览安装，打印预览将用系统的 PDF 阅读器打开。"
  pip -r "$here/without-qtpdf.txt"
  pip --no-deps ziping
fi
echo "安装完成。打开程序：$target/bin/ziping-gui    命令行：$target/bin/ziping --help"
"""

INSTALL_BAT = """@echo off
rem 离线安装绩效自评填报：从本文件夹安装（不联网），装在 ziping-env 文件夹中。
rem 用法：install.bat [安装到的文件夹]；需要 Python 3.11 及以上（python.org 的安装程序）。
chcp 65001 >nul
setlocal
set "HERE=%~dp0"
set "TARGET=%~1"
if "%TARGET%"=="" set "TARGET=%HERE%ziping-env"
py -3 -m venv "%TARGET%" || python -m venv "%TARGET%" || goto fail
"%TARGET%\\Scripts\\python" -m pip install --no-index --find-links "%HERE%." ziping || goto fail
echo 安装完成。打开程序："%TARGET%\\Scripts\\ziping-gui.exe"    命令行："%TARGET%\\Scripts\\ziping.exe" --help
exit /b 0
:fail
echo 安装未完成：请确认已安装 Python 3.11 及以上版本，并把整个文件夹拷到本机后再运行。
exit /b 1
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="离线安装包：各平台所需的全部 wheel 与安装脚本")
    parser.add_argument("--python", nargs="+", default=list(PYTHONS), metavar="版本")
    parser.add_argument("--platform", nargs="+", default=list(MARKERS), choices=list(MARKERS), metavar="平台")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        needs = requirements_of(wheel)
        for platform in args.platform:
            folder = OUT / platform
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            shutil.copy2(wheel, folder)
            notes = []
            for python in args.python:
                for glibc in GLIBC.get(platform, (None,)):
                    system = f"Python {python}" + (f"，glibc {glibc} 及以上" if glibc else "")
                    if download([str(folder / wheel.name)], folder, platform, python, glibc):
                        notes.append(f"{system}：完整安装")
                    elif download(without_qtpdf(needs), folder, platform, python, glibc):
                        notes.append(f"{system}：没有 Qt PDF 组件，打印预览改用系统的 PDF 阅读器")
                    else:
                        notes.append(f"{system}：没有适用于该系统的 Qt（PySide6），不能安装")
                    print(f"{platform}　{notes[-1]}", flush=True)
            (folder / "without-qtpdf.txt").write_text("\n".join(without_qtpdf(needs)) + "\n", encoding="utf-8")
            if platform == "win_amd64":
                (folder / "install.bat").write_bytes(INSTALL_BAT.replace("\n", "\r\n").encode("utf-8"))
            else:
                (folder / "install.sh").write_text(INSTALL_SH, encoding="utf-8")
                (folder / "install.sh").chmod(0o755)
            (folder / "说明.txt").write_text(
                "绩效自评填报离线安装包（" + platform + "）\n\n" + "\n".join(notes) + "\n", encoding="utf-8")
            size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
            print(f"{platform}：{len(list(folder.glob('*.whl')))} 个 wheel，{size:.0f} MB → {folder}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
