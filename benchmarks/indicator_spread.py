"""Into how many indicators do the ten most reported quantities fall, before and after? And how often is
the pipeline's canonical indicator right? (issue 13)

    .venv/bin/python benchmarks/indicator_spread.py [--list] [--details]

Runs the extractor over the 27 test reports (the seed, tests/data/1*.txt, tests/data/blind/*.txt) and the
real development set (../shared/corpus/real/, read in place), pairs each gold figure with the extracted
figure of the same report, value and unit whose sentence holds the gold text, and assigns it to one of
the ten quantities by its canonical indicator in tests/data/indicator_gold.json. For each quantity it
counts the distinct indicators its figures get before (the phrase the extractor used to copy: the
clause before the figure through `IndicatorRules.normalize`) and after (the pipeline's own
`Observation.indicator`: a canonical id, a narrower id derived from a program, or the phrase kept as
written). Over every paired figure it scores the pipeline's canonical indicator against the gold (with
the change direction, as the gold writes it: `<id>|down`): the share right, the share whose label is a
fragment (`indicator_accuracy.is_fragment`), and the canonical recall and precision.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal

from indicator_accuracy import GOLD, annotated_reports, is_fragment, nfkc

from policekg.extract import Extractor
from policekg.extract.figures.indicators import IndicatorRules
from policekg.extract.model import Extraction, Observation
from policekg.extract.patterns import load_patterns

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


def _key(obs: Observation) -> str | None:
    """The pipeline's canonical indicator as the gold writes it (`<id>`, `<id>|up`); None if not canonical."""
    if not obs.canonical:
        return None
    return f"{obs.indicator}|{obs.change}" if obs.change else obs.indicator


_TALLIES = ("gold", "paired", "right", "fragment", "gold_canonical", "found_canonical", "canonical_right")


def spread(details: bool = False) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, int]]]:
    """For each quantity, the distinct indicators before (`today`) and after (`pipeline`); and per set the
    tallies of the pipeline's canonical indicator against the gold."""
    expected = json.loads(GOLD.read_text(encoding="utf-8"))
    extractor, rules = Extractor(), IndicatorRules(load_patterns("observations"))
    found: dict[str, dict[str, set[str]]] = {q: {"today": set(), "pipeline": set(), "figures": set()}
                                             for q in QUANTITIES}
    tallies: dict[str, dict[str, int]] = {}
    for key, gold_path, text_path, field in annotated_reports():
        ex = extractor(text_path.read_text(encoding="utf-8"))
        t = tallies.setdefault(key.split("/")[0], dict.fromkeys(_TALLIES, 0))
        used: set[int] = set()
        for i, fig in enumerate(json.loads(gold_path.read_text(encoding="utf-8"))[field]):
            want = expected[key][i]
            value, unit = _scaled(Decimal(str(fig["value"])), fig["unit"])
            obs = _pair(ex, nfkc(fig["text"]), value, unit, used)
            t["gold"] += 1
            if obs is None:
                continue
            got = _key(obs)
            t["paired"] += 1
            t["right"] += got == want
            t["fragment"] += is_fragment(obs.label)
            t["gold_canonical"] += want is not None
            t["found_canonical"] += got is not None
            t["canonical_right"] += want is not None and got == want
            if details and got != want:
                print(f"{key}#{i}\twant {want}\tgot {got}\t{obs.label}\t{obs.mention.text}")
            for q in [q for q, ids in QUANTITIES.items() if want and want.split("|")[0].split("/")[0] in ids]:
                found[q]["today"].add(rules.normalize(obs.indicator_text))
                found[q]["pipeline"].add(obs.indicator if obs.canonical else f"“{obs.label}”")
                found[q]["figures"].add(f"{key}#{i}")
    tallies["all"] = {k: sum(t[k] for t in list(tallies.values())) for k in _TALLIES}
    return found, tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the indicators of each quantity")
    parser.add_argument("--details", action="store_true", help="list every paired figure read wrong")
    args = parser.parse_args()
    found, tallies = spread(args.details)
    print("quantity\tfigures\tindicators before\tindicators after")
    for q, f in found.items():
        print(f"{q}\t{len(f['figures'])}\t{len(f['today'])}\t{len(f['pipeline'])}")
        if args.list:
            print("    before:", " | ".join(sorted(f["today"])))
            print("    after:", " | ".join(sorted(f["pipeline"])))
    print("\nset\tgold figures\tpaired\tright\tfragment\tcanonical recall\tcanonical precision")
    for name, t in tallies.items():
        paired = t["paired"] or 1
        print(f"{name}\t{t['gold']}\t{t['paired']}\t{t['right'] / paired:.3f}\t{t['fragment'] / paired:.3f}"
              f"\t{t['canonical_right'] / max(1, t['gold_canonical']):.3f}"
              f"\t{t['canonical_right'] / max(1, t['found_canonical']):.3f}")


if __name__ == "__main__":
    main()
