"""The marks every rule reads the same way: quote marks, sentence and clause ends, and level words.

Each was written out in several modules; here each is said once, for the normalised text (NFKC keeps
the Chinese quote marks and 。, and folds ！？；：， to ASCII, which the clause ends still list for text
that did not come through `normalize`).
"""

from __future__ import annotations

import re

#: Every pair of quote marks a report opens and closes a phrase with (the ASCII one does both).
QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "\"": "\""}
OPENING_QUOTES = "".join(QUOTE_PAIRS)
CLOSING_QUOTES = "".join(dict.fromkeys(QUOTE_PAIRS.values()))
QUOTES = "".join(dict.fromkeys(OPENING_QUOTES + CLOSING_QUOTES))
#: The double quotes: the ones a report writes inside a name it also writes plainly (办案“一件事”).
DOUBLE_QUOTES = "“”\""
#: The pairs but the single quotes ‘’: the ones a platform's name is quoted in (公安部“…平台”).
NAME_QUOTE_PAIRS = {opening: closing for opening, closing in QUOTE_PAIRS.items() if opening != "‘"}

#: What ends a sentence: stops and line ends, with the closing quotes and brackets and spaces after them.
SENTENCE_END = re.compile(f"[。!?;\\n][{re.escape(CLOSING_QUOTES)})]*\\s*")
#: What ends a clause inside a sentence or the sentence itself (commas, stops, colons, semicolons).
CLAUSE_END = re.compile(r"[,，。;；:：!！?？]")

#: How high each level word stands: a province, a prefecture (市, 州, 盟), a county (县, 区, 旗).
RANK = {"省": 0, "自治区": 0, "市": 1, "州": 1, "盟": 1, "县": 2, "区": 2, "旗": 2}
#: The one-character level words bodies are named with (市委, 旗政府, 州局): every rule takes them from here.
LEVEL_WORDS = "".join(word for word in RANK if len(word) == 1)
#: The county-rank ones: a body named with one of them lies below a city issuer.
COUNTY_WORDS = "".join(word for word in LEVEL_WORDS if RANK[word] == 2)
