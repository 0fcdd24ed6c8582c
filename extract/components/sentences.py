"""Sentence boundaries for Chinese report prose."""

from spacy.language import Language
from spacy.pipeline import Sentencizer

SENTENCE_ENDS = ["。", "！", "？", "!", "?", ";", "；", "\n"]


@Language.factory("sentences")
def make_sentences(nlp: Language, name: str) -> Sentencizer:
    """spaCy's own rule sentencizer, told where Chinese sentences end (it knows only Western stops)."""
    return Sentencizer(name=name, punct_chars=SENTENCE_ENDS)
