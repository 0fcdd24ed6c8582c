"""The extraction pipeline: a blank `zh` spaCy pipeline assembled from our registered components.

Each component reads the `Doc` and writes its findings back onto it, into the Doc's one `DocState`
(`extract.doc_state`; the finished fields are readable as `doc._.meta` and so on too); `Extractor`
runs them and copies the result into the plain `Extraction` that `kg/` consumes. The order matters:
names are resolved before figures and relations point at them. Each factory declares what it reads
and writes (`requires`/`assigns`), so `nlp.analyze_pipes()` checks the order.

| component         | writes                                                              |
| ----------------- | ------------------------------------------------------------------- |
| `sentences`       | `doc.sents` (Chinese sentence ends)                                 |
| `report_metadata` | `doc._.meta` (a `ReportMeta`, or None when issuer/year unknown)     |
| `report_structure`| `doc._.sections` (list of `Section` with their `Measure`s)          |
| `entity_rules`    | the state's `named` ((kind, start, end, lexicon name) tuples)       |
| `resolve_names`   | `doc._.entities` (list of `Entity`, canonical names), `doc._.issuer_context` |
| `observations`    | `doc._.observations` (list of `Observation`)                        |
| `relations`       | `doc._.relations` (list of `Relation`)                              |

Every component may append a human-readable note to the `warnings` entry about what it could not
recognise; they reach the user with the extraction.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract.doc_state import begin, doc_text, state
from policekg.extract.errors import ExtractionError

# importing a component's module registers its factory
from policekg.extract.figures import observations  # noqa: F401
from policekg.extract.metadata import report_metadata  # noqa: F401
from policekg.extract.model import Extraction, ReportMeta
from policekg.extract.names import entity_rules, resolve_names  # noqa: F401
from policekg.extract.normalize import normalize
from policekg.extract.relations import relations  # noqa: F401
from policekg.extract.structure import report_structure  # noqa: F401
from policekg.extract.text import sentences  # noqa: F401
from policekg.extract.text.char_tokenizer import CharTokenizer

#: The longest text accepted, in characters (a blank `zh` Doc holds one token per character).
MAX_CHARS = 20_000_000

COMPONENTS: tuple[str, ...] = (
    "sentences", "report_metadata", "report_structure", "entity_rules", "resolve_names",
    "observations", "relations",
)

def build_nlp() -> Language:
    """A blank Chinese pipeline (character segmentation: no model to download) with our components."""
    nlp = spacy.blank("zh")
    nlp.max_length = MAX_CHARS  # no parser or NER here: spaCy's 1 000 000 limit protects models we lack
    nlp.tokenizer = CharTokenizer(nlp.vocab)  # the same Doc as spaCy's zh tokenizer, in linear time
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.initialize()
    return nlp


class Extractor:
    """Turns report text into an `Extraction`. Build one and reuse it: start-up loads the lexicons."""

    def __init__(self) -> None:
        self.nlp = build_nlp()

    def __call__(self, text: str, **overrides: Any) -> Extraction:
        """Extract one report. `overrides` (issuer, year, title, published, source_url) win over the text.

        Raises `ExtractionError` when the text is empty or names no issuer or year and none is given.
        """
        text = normalize(text)
        if not text.strip():
            raise ExtractionError("the text is empty")
        if len(text) > MAX_CHARS:
            raise ExtractionError(f"the text has {len(text):,} characters; at most {MAX_CHARS:,} are accepted")
        doc = self.nlp.make_doc(text)
        begin(doc, text, overrides)
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        return to_extraction(doc)


def to_extraction(doc: Doc) -> Extraction:
    """The plain result of a Doc the whole pipeline has run over (raises `ExtractionError` as above)."""
    found = state(doc)
    meta: ReportMeta | None = found.meta
    if meta is None or not meta.issuer:
        raise ExtractionError("no issuing bureau found in the title or the body; give it with --issuer")
    if not meta.year:
        raise ExtractionError("no report year found in the title or the body; give it with --year")
    return Extraction(
        text=doc_text(doc),
        meta=replace(meta),
        sha256=hashlib.sha256(doc_text(doc).encode("utf-8")).hexdigest(),
        sections=found.sections,
        entities=found.entities,
        observations=found.observations,
        relations=found.relations,
        warnings=found.warnings,
    )
