"""How a batch ingest shows itself: a live bar on a terminal, one plain line per file when piped,
and the summary table that ends every run.

On a terminal the user wants to see it move (files, characters, elapsed time, rate) and the
failures as they happen, not a line per stored file. Piped into a log or another program, a bar
is noise; one grep-able line per file (`stored`, `skipped`, `failed`) is what is wanted.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from policekg.kg.ingest.batch import BatchResult
from policekg.kg.ingest.files import ignored_summary
from policekg.kg.ingest.outcomes import Failed, Outcome, Skipped, Stored


class _RateColumn(ProgressColumn):
    """Characters done and the rate, in files and characters per second."""

    def render(self, task: Task) -> Text:
        chars = task.fields.get("chars", 0)
        elapsed = task.elapsed or 0.0
        if elapsed <= 0:
            return Text(f"{chars / 1000:.0f}k chars")
        return Text(f"{chars / 1000:.0f}k chars {task.completed / elapsed:.1f} files/s "
                    f"{chars / elapsed / 1000:.1f}k chars/s")


class TerminalProgress:
    """A rich progress bar on the terminal; failures and warnings printed above it as they come."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(BarColumn(bar_width=20), MofNCompleteColumn(), TextColumn("files"),
                            TimeElapsedColumn(), _RateColumn(), console=console, transient=True)
        self.task = None
        self.chars = 0

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("ingest", total=total, chars=0)

    def advance(self, outcome: Outcome) -> None:
        if isinstance(outcome, Failed):
            self.bar.console.print(f"failed  {outcome.path}: {outcome.reason}", markup=False, highlight=False)
        elif isinstance(outcome, Stored):
            self.chars += outcome.chars
            for warning in outcome.warnings:
                self.bar.console.print(f"warning {outcome.path}: {warning}", markup=False, highlight=False)
        self.bar.update(self.task, advance=1, chars=self.chars)

    def stop(self) -> None:
        self.bar.stop()


class LineProgress:
    """One tab-separated line per file (stored / replaced / skipped / failed), for logs and pipes."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = out, err

    def start(self, total: int) -> None:
        pass

    def advance(self, outcome: Outcome) -> None:
        if isinstance(outcome, Stored):
            verb = "replaced" if outcome.replaced else "stored"
            self._say(self.out, verb, outcome.path, f"<{outcome.graph}>", f"{outcome.triples} triples")
            for warning in outcome.warnings:
                self._say(self.err, "warning", outcome.path, warning)
        elif isinstance(outcome, Skipped):
            self._say(self.out, "skipped", outcome.path, outcome.reason, f"<{outcome.graph}>" if outcome.graph else "")
        else:
            self._say(self.err, "failed", outcome.path, outcome.reason)

    def stop(self) -> None:
        pass

    @staticmethod
    def _say(stream: TextIO, *fields: object) -> None:
        print("\t".join(str(f) for f in fields if f != ""), file=stream, flush=True)


def summary_tables(result: BatchResult, store_classes: dict[str, int],
                   ignored: Counter | None = None) -> list[Table]:
    """The run in two tables: files by outcome (and those left out as no reports, by extension), and
    nodes per class (this run's reports, whole store)."""
    files = Table("files", "count", title=f"ingest: {result.seconds:.1f} s, {result.chars:,} characters, "
                                           f"{result.triples:,} triples")
    replaced = sum(1 for s in result.stored if s.replaced)
    files.add_row("stored", str(len(result.stored) - replaced))
    files.add_row("replaced", str(replaced))
    files.add_row("skipped (unchanged)", str(len(result.skipped)))
    files.add_row("failed", str(len(result.failed)), style="red" if result.failed else None)
    if ignored:
        files.add_row(f"skipped, not reports ({ignored_summary(ignored)})", str(sum(ignored.values())))
    run: Counter = Counter()
    for stored in result.stored:
        run.update(stored.classes)
    classes = Table("class", "in this run's reports", "in the store")
    for cls in sorted(set(run) | set(store_classes)):
        classes.add_row(f"pk:{cls}", str(run.get(cls, 0)), str(store_classes.get(cls, 0)))
    return [files, classes]
