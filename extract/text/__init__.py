"""Text: normalised characters, one token each, paragraphs, sentences, clauses, marks and numerals."""
