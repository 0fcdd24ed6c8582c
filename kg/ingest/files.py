"""Which files a command line means, and the metadata given with them (a sidecar, `--issuer`/`--year`).

A folder of reports usually holds other things too: gold annotations (`.gold.json`), notes, images,
test fixtures. Inside folders and globs only report files are taken: a known report extension (text,
web page, PDF, .docx), a PDF or .docx whatever its name, or a file without extension that is not JSON.
The rest is counted by extension (`ignored`) so the summary can say what was left out, and a JSON file
is never a report, even when named on the command line (`ingest reports/*` in a shell names them all).
"""

from __future__ import annotations

import glob
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from policekg.kg.ingest.loaders import LoadError
from policekg.kg.ingest.outcomes import Failed
from policekg.kg.rdf.iris import local_path, unsegment

#: `report.pdf.json` beside `report.pdf` gives metadata the text does not state.
SIDECAR_SUFFIX = ".json"
#: What a sidecar or the command line may set, and the type each value must have.
OVERRIDE_KEYS: dict[str, type | tuple[type, ...]] = {
    "issuer": str, "year": int, "title": str, "published": str, "source_url": str,
}
_GLOB_CHARS = set("*?[")
#: Extensions of the formats the loaders read (the content still decides how a file is read).
#: A legacy .doc is taken so that its failure says to save it as .docx, rather than it being left out.
REPORT_EXTENSIONS = frozenset({".txt", ".text", ".htm", ".html", ".shtml", ".xhtml", ".pdf", ".docx", ".doc"})
#: Magic numbers of the binary formats the loaders read: such a file is a report whatever its name.
_REPORT_MAGIC = (b"%PDF-", b"PK\x03\x04")
#: What opens a JSON document (after a BOM and blanks): data, never a report text.
_JSON_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*[{\[]")
#: A word that ends the name of a public-security body: 公安局, 公安分局, 公安厅, 公安处, 公安部, 派出所.
_BUREAU_WORD = re.compile(r"(?:局|厅|处|部|所|队)$")
_REPORT_PARTS = 3  # report/{issuer}/{year}


@dataclass
class Collected:
    """The report files a command line names, the names that found nothing, and what was left out."""

    files: list[Path] = field(default_factory=list)
    missing: list[Failed] = field(default_factory=list)
    #: files left out as no reports, by extension (`.json`: 25)
    ignored: Counter = field(default_factory=Counter)


def collect_paths(args: list[str | Path]) -> Collected:
    """The report files that files, folders (recursively) and glob patterns name, each once, in order.

    Hidden files and metadata sidecars found inside folders are left out, and so is whatever is no
    report (`is_report`); a name that matches nothing is a failure, so a typo is not silently an
    empty batch.
    """
    found: dict[Path, None] = {}
    collected = Collected()
    for arg in args:
        path = Path(arg)
        named = path.is_file()
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        elif named:
            candidates = [path]
        elif _GLOB_CHARS & set(str(arg)):
            candidates = [Path(p) for p in sorted(glob.glob(str(arg), recursive=True))]
            candidates = [p for p in candidates if p.is_file()]
        else:
            candidates = []
        if not candidates:
            collected.missing.append(Failed(path, _nothing_there(path, str(arg))))
        for candidate in candidates:
            if is_sidecar(candidate):  # `ingest reports/*` in a shell names the sidecars too
                continue
            if is_report(candidate, named=named):
                found.setdefault(candidate, None)
            else:
                collected.ignored[candidate.suffix.lower() or "(no extension)"] += 1
    collected.files = list(found)
    return collected


def is_report(path: Path, *, named: bool = False) -> bool:
    """Whether `path` is taken as a report file: never JSON; a known extension or a PDF/.docx
    signature; a file without extension, or one the user `named`, is tried (its content decides)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(16)
    except OSError:
        return True  # unreadable: the batch reports why, rather than leaving it out silently
    if _JSON_START.match(head) or path.suffix.lower() == ".json":
        return False
    return (path.suffix.lower() in REPORT_EXTENSIONS or head.startswith(_REPORT_MAGIC)
            or not path.suffix or named)


def ignored_summary(ignored: Counter) -> str:
    """`25 .json files, 1 .md file` (most first, then by extension), or "" when nothing was left out."""
    ranked = sorted(ignored.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{n} {ext} file{'s' if n > 1 else ''}" for ext, n in ranked)


def metadata_warnings(report: str, today: date | None = None) -> list[str]:
    """What looks wrong in a report's issuer and year (from its IRI, `…/report/{issuer}/{year}`): a year
    after this one, an issuer whose name does not end in a bureau word (公安局, 分局, 厅 …)."""
    parts = (local_path(report) or "").split("/")
    if len(parts) != _REPORT_PARTS or parts[0] != "report":
        return []
    issuer, year = unsegment(parts[1]), parts[2]
    warnings = []
    this_year = (today or date.today()).year
    if year.isdigit() and int(year) > this_year:
        warnings.append(f"metadata: the year {year} is after this year ({this_year}); give the right one "
                        "in a sidecar or with --year")
    if not _BUREAU_WORD.search(issuer):
        warnings.append(f"metadata: the issuer {issuer!r} is not named like a bureau (…公安局, …分局, …厅); "
                        "give the right one in a sidecar or with --issuer")
    return warnings


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
