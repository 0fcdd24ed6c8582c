"""How a command prints rows: a table for people, CSV or JSON for programs (`--format`).

A table on a terminal fits the terminal; piped, it is as wide as its longest cell, so no Chinese
name is cut or wrapped by a guessed width of 80. CSV and JSON carry the values as they are (lists as
JSON arrays, joined with `、` in CSV and tables).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from policekg.kg.cli.common import fail, out

FORMATS = ("table", "csv", "json")
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv or json")]
#: A piped table is drawn this wide at most: wide enough for any row, so nothing is cut.
_PIPED_WIDTH = 100_000
_JOIN = "、"


def check_format(fmt: str) -> None:
    """Stop with the known formats when `fmt` is none of them (before any work is done)."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def emit(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, *,
         title: str | None = None) -> None:
    """Print `rows` (one value per column; a list value is a list of names) in `fmt`."""
    rows = list(rows)
    if fmt == "json":
        data = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_text(v) for v in row] for row in rows)
    else:
        table = Table(*columns, title=title)
        for row in rows:
            table.add_row(*(_text(v) for v in row))
        table_console().print(table, highlight=False)


def table_console() -> Console:
    """Where tables go: the terminal, or, piped, a console as wide as the widest table."""
    return out if out.is_terminal else Console(width=_PIPED_WIDTH, soft_wrap=True)


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return _JOIN.join(str(v) for v in value)
    return "" if value is None else str(value)
