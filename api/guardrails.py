"""What a query may make the server do: SERVICE and LOAD fetch URLs, so they are refused unless enabled.

pyoxigraph exposes no query AST, so the check is lexical, but it is a real tokenizer, not a substring
search: it skips comments, strings (all four quote styles, with escapes), IRIs, variables, language
tags and prefixed names (including their `\\#`-style escapes), and looks at what is left as keywords,
case-insensitively, whatever whitespace or comments separate them. A word inside a string or an IRI
is not refused; a keyword in any spelling is.
"""

from __future__ import annotations

import re

from policekg.api.errors import Refused

#: Keywords that make the server open a network connection.
REMOTE_KEYWORDS = frozenset({"SERVICE", "LOAD"})

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               | '(?:[^'\\\n\r]|\\.)*'
               | "(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d]\w*(?:[.\-]\w+)*)?:(?:[\w.\-:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<word>[^\W\d][\w\-]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def keywords(sparql: str) -> list[str]:
    """The bare words of a query or update (keywords, function names) and prefixes of prefixed names,
    upper-cased, in order."""
    found = []
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "word":
            found.append(m.group("word").upper())
        elif m.lastgroup == "pname":
            found.append(m.group("pname").split(":", 1)[0].upper())
    return found


def remote_operations(sparql: str) -> set[str]:
    """Which of SERVICE / LOAD the text may use as keywords.

    Oxigraph matches a keyword without a word boundary (`SERVICEex:x`, `SERVICE:x` and `LOAD:x` are
    a SERVICE or LOAD of a prefixed name), so a word or a prefix that merely *starts* with one counts.
    """
    return {k for word in keywords(sparql) for k in REMOTE_KEYWORDS if word.startswith(k)}


def check_remote(sparql: str, allow_remote: bool) -> None:
    """Raise Refused when the text would make the server fetch a URL and the deployment forbids it."""
    found = remote_operations(sparql)
    if found and not allow_remote:
        names = " and ".join(sorted(found))
        raise Refused(f"{names} would make this server fetch remote URLs, which it does not do; "
                      "start it with POLICEKG_ALLOW_REMOTE=1 to allow it")
