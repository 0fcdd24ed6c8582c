"""Loads the rule data of a component from `schema/patterns/{name}.json` (package data), checked
against its dataclass in `extract.pattern_schema`.

Patterns are data, kept apart from the matching code: a reviewer can read what a rule
matches without reading Python, and a new spelling is a one-line change to a JSON file.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import types
import typing
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from policekg.extract.errors import PatternFileError
from policekg.extract.pattern_schema import SCHEMAS


@cache
def load_rules(name: str) -> Any:
    """The rule file `schema/patterns/{name}.json` as its `pattern_schema` dataclass (lists as tuples).

    Raises `PatternFileError` naming the file and the key when a key is unknown or missing or a value
    has the wrong type; keys starting with `_` are comments.
    """
    return _built(SCHEMAS[name], _read(name), f"schema/patterns/{name}.json")


@cache
def load_patterns(name: str) -> dict[str, Any]:
    """The JSON object in `schema/patterns/{name}.json` without its comments, checked as `load_rules` does."""
    load_rules(name)
    return _read(name)


def check_rules(name: str, data: dict[str, Any]) -> None:
    """Raise `PatternFileError` unless `data` is a valid content for the rule file `name`."""
    _built(SCHEMAS[name], data, f"schema/patterns/{name}.json")


def _read(name: str) -> dict[str, Any]:
    path = resources.files("policekg.schema").joinpath("patterns", f"{name}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _built(schema: type, data: Any, where: str) -> Any:
    """An instance of the dataclass `schema` from a JSON object, every value checked against its field."""
    if not isinstance(data, dict):
        raise PatternFileError(f"{where}: expected an object, found {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(schema)}
    hints = typing.get_type_hints(schema)
    data = {k: v for k, v in data.items() if not k.startswith("_")}
    for key in data.keys() - fields.keys():
        close = difflib.get_close_matches(key, list(fields), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise PatternFileError(f"{where}: unknown key {key!r}{hint}")
    missing = [k for k, f in fields.items() if k not in data and f.default is dataclasses.MISSING]
    if missing:
        raise PatternFileError(f"{where}: missing key(s) {', '.join(map(repr, missing))}")
    try:
        return schema(**{k: _value(hints[k], v, f"{where}: {k}") for k, v in data.items()})
    except ValueError as error:
        if isinstance(error, PatternFileError):
            raise
        raise PatternFileError(f"{where}: {error}") from None


def _value(tp: Any, value: Any, where: str) -> Any:
    """`value` as the type `tp` of a schema field (tuples from lists), or `PatternFileError`."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        return _value(next(a for a in args if a is not type(None)), value, where)
    if dataclasses.is_dataclass(tp):
        return _built(tp, value, where)
    if origin is tuple and isinstance(value, list):
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(value) == len(args):
            return tuple(_value(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value)))
    elif origin is dict and isinstance(value, dict):
        return {k: _value(args[1], v, f"{where}.{k}") for k, v in value.items()}
    elif origin is None and isinstance(value, tp) and not (tp is int and isinstance(value, bool)):
        return value
    elif tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    raise PatternFileError(f"{where}: expected {_type_name(tp)}, found {json.dumps(value, ensure_ascii=False)[:60]}")


def _type_name(tp: Any) -> str:
    """How the JSON spells a field's type: `a list of str`, `an object of int`."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple:
        return f"a list of {_type_name(args[0])}" if args[-1] is Ellipsis else f"a list of {len(args)} values"
    if origin is dict:
        return f"an object of {_type_name(args[1])}"
    return tp.__name__


def compile_alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so the longest spelling wins.

    The one-character words come last as one character class: `re` tries the alternatives of a branch
    one by one at every position it looks at, a class in one step, and the matches are the same.
    """
    ordered = sorted(words, key=len, reverse=True)
    single = [re.escape(w) for w in ordered if len(w) == 1]
    parts = [re.escape(w) for w in ordered if len(w) > 1]
    parts += [f"[{''.join(single)}]"] if len(single) > 1 else single
    return "|".join(parts + [w for w in ordered if not w])


def finditer_near(regex: re.Pattern[str], text: str, word: str, reach: int) -> Iterator[re.Match[str]]:
    """The matches of `regex.finditer(text)`, for a regex each of whose matches holds `word` at most
    `reach` characters after its start. Only the starts near each occurrence of the word are tried:
    a pattern whose first characters are common (互联网+政务服务, 涉企…免罚清单) would otherwise cost a
    regex attempt at every character of the report, for a word most reports use a few times."""
    pos = 0
    while (at := text.find(word, pos)) >= 0:
        for start in range(max(pos, at - reach), at + 1):
            match = regex.match(text, start)
            if match:
                yield match
                pos = max(match.end(), start + 1)
                break
        else:
            pos = at + 1


def finditer_at(regex: re.Pattern[str], text: str, words: tuple[str, ...]) -> list[re.Match[str]]:
    """The matches of `regex` that start where one of `words` does, in text order: for a regex that
    opens with one of them, whose first characters are common on their own (人 of 人大, 法 of 法院)."""
    found = []
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            match = regex.match(text, pos)
            if match:
                found.append(match)
            pos = text.find(word, pos + 1)
    return sorted(found, key=lambda m: m.start())
