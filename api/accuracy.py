"""How well the extraction does on real reports: the one place the pages read it from.

The numbers are `policekg eval` over the real development set (19 report openings annotated by hand,
pooled over the classes, lenient name matching; figures by value and unit). Re-run the evaluation
and update `ACCURACY` when the extractor changes; every page that shows extracted data states it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Accuracy:
    """Precision (what was found is right) and recall (what is there was found) on the real set."""

    reports: int
    names_precision: float
    names_recall: float
    figures_precision: float
    figures_recall: float

    def as_percentages(self) -> dict[str, str | int]:
        """The numbers as a sentence shows them: `83%`."""
        return {"reports": self.reports, "p_names": f"{self.names_precision:.0%}",
                "r_names": f"{self.names_recall:.0%}", "p_figures": f"{self.figures_precision:.0%}",
                "r_figures": f"{self.figures_recall:.0%}"}


ACCURACY = Accuracy(reports=19, names_precision=0.972, names_recall=0.953,
                    figures_precision=0.975, figures_recall=0.975)
