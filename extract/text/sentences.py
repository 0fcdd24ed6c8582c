"""`sentences`: sentence boundaries for Chinese report prose, as `doc.sents`.

spaCy's rule sentencizer looks at tokens only, and the blank `zh` tokenizer folds line breaks into the
whitespace after a token, so a heading line (一、坚持党的全面领导) ran on into the next paragraph. Here
one regex over the text finds every sentence end (`doc_state.sentence_ends`: 。!?; and line breaks, after
NFKC folding) and the token starting right after each becomes a sentence start, set in one array
operation. The offsets stay on the Doc for the components that want sentences as character spans:
the ends (`doc_state.sentence_ends`) and the starts (`doc_state.sentences_of`, which would otherwise read them
back from the token arrays).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract.doc_state import sentence_ends, state

#: SENT_START's "not a sentence start" (-1) as the unsigned value `Doc.from_array` takes.
_NOT_A_START = np.iinfo(np.uint64).max


@Language.factory("sentences", assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str) -> Sentences:
    return Sentences()


class Sentences:
    """Marks sentence starts on the Doc; every other token is marked as not starting one."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        token_starts = doc.to_array(IDX)
        ends = np.array(sentence_ends(doc), dtype=np.uint64)
        starts = np.searchsorted(token_starts, ends, side="left")
        starts = np.concatenate(([0], starts[starts < len(doc)]))
        flags = np.full((len(doc), 1), _NOT_A_START, dtype=np.uint64)
        flags[starts] = 1
        doc.from_array([SENT_START], flags)
        state(doc).sentence_starts = token_starts[starts].tolist()  # ends increase: no repeats
        return doc
