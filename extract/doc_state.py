"""What the components leave on a Doc for the ones after them: one entry of `doc.user_data` each.

spaCy's custom attributes (`doc._.meta`) keep their values in `doc.user_data` too, but every `doc._`
access builds an `Underscore` object first: 1.3 µs, some thirty times per report, 4 % of an
extraction. The components therefore read and write the entries directly, by the names below; the
same names are registered as `Doc._` attributes over those entries, so a spaCy user's
`nlp(text)._.entities` reads what the pipeline wrote.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

#: The entries, each written by one component (see `extract.pipeline`) and read by the later ones.
NAMES = ("meta", "overrides", "sections", "entities", "observations", "relations", "warnings", "issuer_context")


def _view(name: str) -> dict[str, Any]:
    return {"getter": lambda doc: doc.user_data.get(name),
            "setter": lambda doc, value: doc.user_data.__setitem__(name, value)}


for _name in NAMES:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, **_view(_name))
