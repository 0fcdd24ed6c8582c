"""What the components leave on a Doc for the ones after them: one typed `DocState` per Doc, and the
accessors that find what the text gives (paragraphs, sentences) once per Doc.

The state lives in `doc.user_data[STATE_KEY]` (so it travels with the Doc as spaCy's own extension
values do) and every field has one writer, named beside it. Components read and write it through
`state(doc)`, one dictionary look-up, rather than through `doc._`: every `doc._` access builds an
`Underscore` object first (see benchmarks/RESULTS.md). The finished fields are also registered as `Doc._`
attributes over the state, so a spaCy user's `nlp(text)._.entities` reads what the pipeline wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

from policekg.extract.text.blocks import Block, paragraphs
from policekg.extract.text.clauses import Sentences
from policekg.extract.text.marks import SENTENCE_END

if TYPE_CHECKING:
    from policekg.extract.model import Entity, Observation, Relation, ReportMeta, Section
    from policekg.extract.names.issuer_context import IssuerContext

#: The one `doc.user_data` entry our pipeline uses.
STATE_KEY = "policekg"


@dataclass(eq=False)
class DocState:
    """Everything the pipeline knows about one Doc; the comment on each field names its one writer."""

    text: str  # `begin` (the Extractor), or `state` from `Doc.text` for a Doc made by `nlp(text)`
    overrides: dict[str, Any] = field(default_factory=dict)  # `begin`: what the caller says wins over the text
    warnings: list[str] = field(default_factory=list)  # appended to by every component through `blocks.warn`
    meta: ReportMeta | None = None  # report_metadata
    sections: list[Section] = field(default_factory=list)  # report_structure
    #: entity_rules: every name found, as (kind, start char, end char, lexicon name); None until it runs
    named: list[tuple[str, int, int, str]] | None = None
    issuer_context: IssuerContext | None = None  # resolve_names: where the issuer stands (relations reads it)
    entities: list[Entity] = field(default_factory=list)  # resolve_names
    observations: list[Observation] = field(default_factory=list)  # observations
    relations: list[Relation] = field(default_factory=list)  # relations
    # -- what the text gives, found once on first use by the function named and shared by the components
    paragraphs: list[Block] | None = None  # doc_paragraphs
    sentence_ends: list[int] | None = None  # sentence_ends
    sentence_starts: list[int] | None = None  # the sentences component (sentences_of if it did not run)
    sentences: Sentences | None = None  # sentences_of


def begin(doc: Doc, text: str, overrides: dict[str, Any] | None = None) -> DocState:
    """A fresh state for a Doc made from the normalised `text` (Doc.text is rebuilt from tokens on each
    access: the components read this copy)."""
    new = doc.user_data[STATE_KEY] = DocState(text, {k: v for k, v in (overrides or {}).items() if v is not None})
    return new


def state(doc: Doc) -> DocState:
    """The Doc's state, begun here from `Doc.text` when the Doc did not come through the Extractor."""
    found = doc.user_data.get(STATE_KEY)
    return found if found is not None else begin(doc, doc.text)


def doc_text(doc: Doc) -> str:
    """The Doc's text as the pipeline keeps it (spaCy rebuilds `Doc.text` from every token on each access)."""
    return state(doc).text


def doc_paragraphs(doc: Doc) -> list[Block]:
    """The Doc's paragraphs (`blocks.paragraphs`), split once per Doc for every component that reads them."""
    found = state(doc)
    if found.paragraphs is None:
        found.paragraphs = paragraphs(found.text)
    return found.paragraphs


def sentence_ends(doc: Doc) -> list[int]:
    """Offsets where the Doc's sentences end (the next one starts there), found once per Doc."""
    found = state(doc)
    if found.sentence_ends is None:
        found.sentence_ends = [m.end() for m in SENTENCE_END.finditer(found.text)]
    return found.sentence_ends


def sentences_of(doc: Doc) -> Sentences:
    """The Doc's `Sentences`, made once and shared by the components that cite sentences (names,
    figures and relations often cite the same one: it is stripped once)."""
    found = state(doc)
    if found.sentences is None:
        if found.sentence_starts is None:  # the sentences component did not run: read `doc.sents`' starts
            rows = doc.to_array([IDX, SENT_START]) if len(doc) else None
            found.sentence_starts = (rows[rows[:, 1] == 1, 0].tolist() if rows is not None else []) or [0]
        found.sentences = Sentences(found.text, found.sentence_starts)
    return found.sentences


def warn(doc: Doc, message: str) -> None:
    """Add a note for the user to the Doc's warnings."""
    state(doc).warnings.append(message)


#: The fields a spaCy user reads (and a test may set) as `doc._.<name>`; the factories' `requires` and
#: `assigns` name them too, so `nlp.analyze_pipes()` checks the components' order.
VIEWS = ("meta", "overrides", "sections", "named", "entities", "observations", "relations", "warnings",
         "issuer_context")


def _view(name: str) -> dict[str, Any]:
    return {"getter": lambda doc: getattr(state(doc), name),
            "setter": lambda doc, value: setattr(state(doc), name, value)}


for _name in VIEWS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, **_view(_name))
