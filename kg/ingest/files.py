"""Which files a command line means, and the metadata given with them (a sidecar, `--issuer`/`--year`)."""

from __future__ import annotations

import glob
import json
from datetime import date
from pathlib import Path
from typing import Any

from policekg.kg.ingest.loaders import LoadError
from policekg.kg.ingest.outcomes import Failed

#: `report.pdf.json` beside `report.pdf` gives metadata the text does not state.
SIDECAR_SUFFIX = ".json"
#: What a sidecar or the command line may set, and the type each value must have.
OVERRIDE_KEYS: dict[str, type | tuple[type, ...]] = {
    "issuer": str, "year": int, "title": str, "published": str, "source_url": str,
}
_GLOB_CHARS = set("*?[")


def collect_paths(args: list[str | Path]) -> tuple[list[Path], list[Failed]]:
    """The report files that files, folders (recursively) and glob patterns name, each once, in order.

    Hidden files and metadata sidecars found inside folders are left out; a name that matches
    nothing is a failure, so a typo is not silently an empty batch.
    """
    found: dict[Path, None] = {}
    missing: list[Failed] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
            candidates = [p for p in candidates if not is_sidecar(p)]
        elif path.is_file():
            if is_sidecar(path):  # `ingest reports/*` in a shell names the sidecars too
                continue
            candidates = [path]
        elif _GLOB_CHARS & set(str(arg)):
            candidates = [Path(p) for p in sorted(glob.glob(str(arg), recursive=True))]
            candidates = [p for p in candidates if p.is_file() and not is_sidecar(p)]
        else:
            candidates = []
        if not candidates:
            missing.append(Failed(path, _nothing_there(path, str(arg))))
        for candidate in candidates:
            found.setdefault(candidate, None)
    return list(found), missing


def _nothing_there(path: Path, arg: str) -> str:
    if path.exists():
        return "no report files in it"
    return "the pattern matches no file" if _GLOB_CHARS & set(arg) else "no such file or folder"


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def is_sidecar(path: Path) -> bool:
    """`x.pdf.json` beside `x.pdf` is metadata, not a report."""
    return path.name.endswith(SIDECAR_SUFFIX) and path.with_name(path.name[: -len(SIDECAR_SUFFIX)]).is_file()


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata in `<file>.json` next to `path` ({} when there is none); LoadError when it is wrong."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LoadError(f"sidecar {sidecar.name} is not readable JSON: {err}") from err
    return check_overrides(data, f"sidecar {sidecar.name}")


def check_overrides(data: Any, where: str) -> dict[str, Any]:
    """Metadata overrides with known keys and values of the right type (a bad sidecar is named)."""
    if not isinstance(data, dict):
        raise LoadError(f"{where} must hold a JSON object like {{\"issuer\": …, \"year\": …}}")
    unknown = sorted(set(data) - set(OVERRIDE_KEYS))
    if unknown:
        raise LoadError(f"{where}: unknown keys {', '.join(unknown)} (known: {', '.join(OVERRIDE_KEYS)})")
    for key, value in data.items():
        if value is not None and (not isinstance(value, OVERRIDE_KEYS[key]) or isinstance(value, bool)):
            raise LoadError(f"{where}: {key} must be a {OVERRIDE_KEYS[key].__name__}, not {value!r}")
    if data.get("published"):
        try:
            date.fromisoformat(data["published"])
        except ValueError as err:
            raise LoadError(f"{where}: published must be a date like 2023-03-01, not {data['published']!r}") from err
    return {k: v for k, v in data.items() if v is not None}
