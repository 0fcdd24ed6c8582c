"""Canonical spellings that depend on the words alone, not on who wrote the report.

The same program or law named in two reports must become one node, so quote marks, a generic suffix
(“一村一辅警”工作机制 → 一村一辅警), the 中华人民共和国 prefix of a law and the APP of an app are dropped
here. What depends on the issuer (市局 → 慈溪市公安局) is `extract.names.resolve_names`' job.
"""

from __future__ import annotations

import re
from typing import Any

from policekg.extract.names.lexicon import national_entries
from policekg.extract.names.overlaps import FAMILY
from policekg.extract.patterns import compile_alternation
from policekg.extract.text.marks import NAME_QUOTE_PAIRS, QUOTES

_PAREN = re.compile(r"\([^()]*\)")
#: 一村(社区)一辅警: a short insertion in brackets inside a program's name (not at its end)
_INSERTION = re.compile(r"\([\u4e00-\u9fff]{1,4}\)(?=[\u4e00-\u9fff])")
#: (2021—2025年), (2021-2025): a period in a title, however its dash is written and with or without 年
_PERIOD = re.compile(r"\((\d{4})\s*[-\u2010-\u2015~\uff5e\uff0d至]\s*(\d{4})年?\)")
_NO_QUOTES = str.maketrans("", "", QUOTES + "《》")


def strip_quotes(surface: str) -> str:
    return surface.translate(_NO_QUOTES)


def without_parentheses(name: str) -> str:
    """执法办案管理(分)中心 → 执法办案管理中心: how two spellings are compared, not a canonical name."""
    return _PAREN.sub("", name) if "(" in name else name


def national_namer(rules: dict[str, Any]) -> Namer:
    """The `Namer` over the national lexicon: every spelling of an entry maps to its canonical name."""
    aliases = {(FAMILY[e.kind], s): e.name for e in national_entries() for s in e.spellings}
    return Namer(rules, aliases)


class Namer:
    """Canonical names of programs, laws and platforms from their surface text (rules are data)."""

    def __init__(self, rules: dict[str, Any], aliases: dict[tuple[str, str], str]) -> None:
        self._suffixes = sorted(rules["program_suffixes"], key=len, reverse=True)
        self._name_suffixes = tuple(rules["program_name_suffixes"])
        self._counted = re.compile(rules["counted_set_re"])
        self._year = re.compile(rules["program_year_re"])
        self._campaign_head = re.compile(rules["campaign_head_re"])
        self._platform_heads = tuple(sorted(rules["platform_heads"], key=len, reverse=True))
        self._min = rules["program_min_chars"]
        self._law_prefixes = tuple(rules["law_prefixes"])
        self._app_suffixes = tuple(rules["app_suffixes"])
        heads = compile_alternation(rules["quoted_platform_heads"])
        opening, closing = re.escape("".join(NAME_QUOTE_PAIRS)), re.escape("".join(dict.fromkeys(NAME_QUOTE_PAIRS.values())))
        self._quoted_platform = re.compile(f"[{opening}]([^{closing}]+)[{closing}](?:{heads})")
        self._aliases = aliases  # (kind family, spelling) -> canonical lexicon name

    def lexicon(self, family: str, name: str) -> str | None:
        return self._aliases.get((family, name))

    def program(self, surface: str) -> str:
        """“一村一辅警”工作机制 → 一村一辅警; 三项制度 stays (a counted set keeps its head)."""
        name = strip_quotes(surface)
        if known := self.lexicon("program", name):
            return known
        name = _INSERTION.sub("", name) if "(" in name else name  # one node for 一村(社区)一辅警 and 一村一辅警
        name = self._year.sub("", name) or name
        for suffix in self._name_suffixes:
            name = name.removesuffix(suffix) if len(name) - len(suffix) >= self._min else name
        for suffix in self._suffixes:
            rest = name.removesuffix(suffix)
            if rest != name and len(rest) >= self._min and not self._counted.match(name):
                name = rest
                break
        head = self._campaign_head.search(name)
        if head and head.start() >= self._min:  # 清源断流行动 → 清源断流
            name = name[:head.start()]
        return self.lexicon("program", name) or name

    def legal(self, surface: str) -> str:
        """《中华人民共和国行政复议法》 → 行政复议法; …纲要(2021—2025) → …纲要(2021-2025年), one node
        for every way of writing the period."""
        name = strip_quotes(surface)
        name = _PERIOD.sub(r"(\1-\2年)", name) if "(" in name else name
        for prefix in self._law_prefixes:
            name = name.removeprefix(prefix) if len(name) > len(prefix) + 1 else name
        return self.lexicon("legal", name) or name

    def without_app(self, name: str) -> str:
        """国家反诈中心APP → 国家反诈中心."""
        for suffix in self._app_suffixes:
            if name.endswith(suffix):
                return name[:-len(suffix)]
        return name

    def _known_before_head(self, name: str) -> str | None:
        """吉事办平台 → 吉事办: a known platform named with a generic head after it."""
        head = next((h for h in self._platform_heads if name.endswith(h)), "")
        return self.lexicon("platform", name[:-len(head)]) if head and len(name) > len(head) else None

    def platform(self, surface: str, is_body: bool = False) -> str:
        """“浙里办”APP → 浙里办; 我的宁夏APP → 我的宁夏; 国家反诈中心APP keeps its APP because
        国家反诈中心 alone is a body (`is_body` says the stripped name is an organisation)."""
        name = strip_quotes(surface)
        if known := self.lexicon("platform", name) or self._known_before_head(name):
            return known
        quoted = self._quoted_platform.fullmatch(surface)
        if quoted:
            return self.lexicon("platform", quoted[1]) or quoted[1]
        for suffix in self._app_suffixes:
            rest = name.removesuffix(suffix)
            if rest != name and len(rest) >= 2 and not is_body:
                return self.lexicon("platform", rest) or rest
        return name
