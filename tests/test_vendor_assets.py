"""The browser libraries the build installs (setup.py: npm ci from assets/package-lock.json) are in the
installed package, match the lock file, and are served by a real `policekg serve` with their types;
a build without npm stops and says what to install.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from policekg.api.templating import STATIC_DIR

ROOT = Path(__file__).resolve().parent.parent
VENDOR = STATIC_DIR / "vendor"
#: The type each kind of vendored file is served with.
TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".txt": "text/plain"}


@pytest.fixture(scope="module")
def stamp() -> dict:
    path = VENDOR / "vendor.json"
    assert path.is_file(), f"{path} is missing: the package was built without its browser libraries"
    return json.loads(path.read_text(encoding="utf-8"))


def test_installed_libraries_are_the_locked_ones(stamp: dict) -> None:
    lock = json.loads((ROOT / "assets" / "package-lock.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((ROOT / "assets" / "package-lock.json").read_bytes()).hexdigest()
    assert stamp["lock_sha256"] == digest, "assets/package-lock.json changed since the build: reinstall"
    for name, info in stamp["packages"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == info["version"]
        assert info["license"] in ("MIT", "Apache-2.0", "ISC"), (name, info["license"])


def test_every_vendored_file_is_served_with_its_type(live_server: str, stamp: dict) -> None:
    assert len(stamp["files"]) >= 5
    for name in stamp["files"]:
        resp = httpx.get(f"{live_server}/static/vendor/{name}")
        assert resp.status_code == 200, name
        assert resp.headers["content-type"].split(";")[0] == TYPES[Path(name).suffix], name
        assert resp.content == (VENDOR / name).read_bytes(), name


def test_province_geometry_names_every_province_in_chinese(live_server: str) -> None:
    geo = httpx.get(f"{live_server}/static/vendor/china/provinces.json").json()
    assert geo["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in geo["features"]}
    assert len(names) == 34  # 23 provinces, 5 autonomous regions, 4 municipalities, 2 SARs
    assert {"浙江", "内蒙古", "宁夏", "北京", "香港"} <= names
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])


def test_a_build_without_npm_stops_and_says_what_to_install(tmp_path: Path) -> None:
    """A source tree without built assets and no npm on PATH: `pip wheel` fails, saying why."""
    for name in ("setup.py", "pyproject.toml", "README.md", "MANIFEST.in"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("assets", "api", "kg", "extract", "schema"):  # the sources, less the built assets
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("vendor", "__pycache__"))
    env = {**os.environ, "PATH": str(tmp_path / "no-npm-here")}
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path / "dist"), "."]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode != 0
    said = proc.stdout + proc.stderr
    assert "needs npm" in said and "apt-get install nodejs npm" in said, said
    assert not (tmp_path / "api" / "static" / "vendor").exists()
