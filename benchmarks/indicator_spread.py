"""Into how many indicators do the ten most reported quantities fall, before and after normalising? (issue 13)

    .venv/bin/python benchmarks/indicator_spread.py [--list]

Runs the extractor over the 27 test reports (the seed, tests/data/1*.txt, tests/data/blind/*.txt) and the
real development set (../shared/corpus/real/, read in place), pairs each gold figure with the extracted
figure of the same report, value and unit whose sentence holds the gold text, and assigns it to one of
the ten quantities by its canonical indicator in tests/data/indicator_gold.json. For each quantity it
counts the distinct indicators its figures get today (the phrase the extractor copies, `Observation.
indicator`) and with `extract.indicator_norm` applied to that same phrase (a canonical id, a narrower id
derived from a program, or the phrase kept as written). `--list` prints the indicators of each quantity.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal

from indicator_accuracy import GOLD, annotated_reports, nfkc
from policekg.extract import Extractor
from policekg.extract.figures.indicator_norm import read_indicator
from policekg.extract.model import Extraction, Observation

#: The ten quantities of issue 13 and the canonical indicators (with their narrower ones) each covers.
QUANTITIES = {
    "disputes resolved": ("disputes_resolved",),
    "cases solved": ("cases_solved", "criminal_cases_solved", "fraud_cases_solved"),
    "suspects caught": ("suspects_caught",),
    "administrative cases": ("administrative_cases", "public_order_cases"),
    "administrative reconsiderations": ("administrative_reconsiderations",),
    "administrative lawsuits": ("administrative_lawsuits", "lawsuits_lost"),
    "online cases": ("handled_online", "services_available_online"),
    "fraud cases": ("fraud_cases_solved", "fraud_cases_reported"),
    "money returned to victims": ("money_recovered", "losses_recovered_for_enterprises"),
    "training sessions": ("training_sessions",),
}
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def _scaled(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """The real set writes 2500 万元; the extractor 25000000 元."""
    if unit[:1] in _SCALE and len(unit) > 1:
        return value * _SCALE[unit[0]], unit[1:]
    return value, unit


def _pair(ex: Extraction, text: str, value: Decimal, unit: str, used: set[int]) -> Observation | None:
    for i, obs in enumerate(ex.observations):
        if i not in used and obs.value == value and obs.unit == unit and text in nfkc(obs.mention.sentence):
            used.add(i)
            return obs
    return None


def _normalised(obs: Observation, planned: set[str]) -> str:
    """The indicator the normaliser gives the extractor's phrase: a canonical id, or the label as written."""
    figure = obs.mention.text[len(obs.indicator_text):] if obs.mention.text.startswith(obs.indicator_text) else ""
    r = read_indicator(obs.indicator_text, obs.unit, figure=figure, sentence=obs.mention.sentence,
                       planned=obs.measure in planned)
    return r.indicator.id if r.indicator else f"“{r.label}”"


def spread() -> dict[str, dict[str, set[str]]]:
    """For each quantity, the distinct indicators before (`today`) and after (`normalised`)."""
    expected = json.loads(GOLD.read_text(encoding="utf-8"))
    extractor = Extractor()
    found: dict[str, dict[str, set[str]]] = {q: {"today": set(), "normalised": set(), "figures": set()}
                                             for q in QUANTITIES}
    for key, gold_path, text_path, field in annotated_reports():
        ex = extractor(text_path.read_text(encoding="utf-8"))
        planned = {m.ordinal for m in ex.measures if m.status == "Planned"}
        used: set[int] = set()
        for i, fig in enumerate(json.loads(gold_path.read_text(encoding="utf-8"))[field]):
            want = expected[key][i]
            quantities = [q for q, ids in QUANTITIES.items() if want and want.split("|")[0].split("/")[0] in ids]
            value, unit = _scaled(Decimal(str(fig["value"])), fig["unit"])
            obs = _pair(ex, nfkc(fig["text"]), value, unit, used) if quantities else None
            for q in quantities if obs else ():
                found[q]["today"].add(obs.indicator)
                found[q]["normalised"].add(_normalised(obs, planned))
                found[q]["figures"].add(f"{key}#{i}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the indicators of each quantity")
    args = parser.parse_args()
    print("quantity\tfigures\tindicators today\tindicators normalised")
    for q, f in spread().items():
        print(f"{q}\t{len(f['figures'])}\t{len(f['today'])}\t{len(f['normalised'])}")
        if args.list:
            print("    today:", " | ".join(sorted(f["today"])))
            print("    normalised:", " | ".join(sorted(f["normalised"])))


if __name__ == "__main__":
    main()
