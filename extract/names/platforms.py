"""Platforms: systems, apps, accounts and websites named before a head word (平台, 系统, APP, 公众号…),
and each name in a list that one head word closes (执法办案系统和视频监控平台).

A finder of `entity_rules` (its class is mixed into `EntityRules`, which compiles the rules they share).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policekg.extract.names.name_window import NameWindow, letters
from policekg.extract.names.overlaps import Candidate
from policekg.extract.text.marks import CLOSING_QUOTES


class PlatformFinders:
    """The `platform` family's finders."""

    # compiled once by `EntityRules.initialize` and shared by every family's finders
    rules: dict[str, Any]  # schema/patterns/entity_rules.json
    re: dict[str, Any]  # its regexes, compiled
    words: dict[str, tuple[str, ...]]  # its word lists, as tuples
    window: NameWindow
    generic_prefixes: tuple[str, ...]

    def _platforms(self, text: str) -> Iterator[Candidate]:
        r = self.rules
        min_body = r["platform_heads"]
        blocked = self.words["platform_blocked_after"]
        bad_end = self.words["platform_body_bad_endings"]
        bare = self.words["bare_platforms"]
        for m in self.re["platform_head"].finditer(text):
            if text.startswith(blocked, m.end()):
                continue
            start = self._platform_start(text, m.start())
            body = text[start:m.start()]
            if not letters(body) and m.group() in bare:  # 通过公安内网和微信公众号推送: a channel named bare
                yield Candidate(m.start(), m.end(), "Platform", "lexicon", m.group())
            if letters(body) < min_body[m.group()] or body.endswith(bad_end) or body.startswith(
                    self.generic_prefixes) and letters(body) <= r["platform_generic_body_max"]:
                continue
            yield Candidate(start, m.end(), "Platform", "pattern")

    def _platform_start(self, text: str, head_start: int) -> int:
        """Where a platform's name starts: after a 和 that closes another platform's name (110接处警
        系统和视频监控平台 are two), inside a quote that the head word closes (公安部“…平台”), and at the
        last of a chain of quotes (“粤省事”“粤商通”平台 are two), and after a quoted brand that a descriptor
        follows (“鸟巢”未成年人违法犯罪预警管控平台 is named by its descriptor, as the real set does)."""
        start = self.window.start(text, head_start, allow_quotes=True)
        body = text[start:head_start]
        for i in range(len(body) - 1, 0, -1):
            if body[i] in self.rules["conjunctions"] and self.re["platform_end"].search(body[:i]):
                return start + i + 1
        opened = max(body.rfind("“"), body.rfind("「"))
        if opened > body.rfind("”") and opened >= 0:
            return start + opened + 1
        brand = None
        for brand in self.re["platform_brand_re"].finditer(body):  # the last quoted brand in the name
            pass
        if brand and letters(body[brand.end():]) >= self.rules["platform_descriptor_min"]:
            # “鸟巢”未成年人…预警管控平台: the descriptor names it; “吉祥码”和大数据流调平台 are two
            return start + brand.end() + (body[brand.end()] in self.rules["quote_chain_joiners"])
        if opened > 0 and body.endswith(("”", "」")) and body[:opened].rstrip("、和与及").endswith(("”", "」")):
            return start + opened  # “粤省事”“粤商通”平台: the head names the last of the chain
        return start

    def _listed_platforms(self, text: str, found: list[Candidate]) -> Iterator[Candidate]:
        """平安慈溪、市政务办微信公众号等载体: the items of a list closed by 等载体 are platforms too."""
        list_heads = self.words["platform_list_heads"]
        lists = [c for c in found if c.kind == "Platform" and text.startswith(list_heads, c.end)]
        taken = {(c.start, c.end) for c in found} if lists else set()
        for c in lists:
            pos = c.start
            while pos > 0 and text[pos - 1] == "、":
                start = self.window.start(text, pos - 1)
                if not 2 <= pos - 1 - start <= 10 or (start, pos - 1) in taken:
                    break
                yield Candidate(start, pos - 1, "Platform", "pattern")
                pos = start

    def _branded(self, text: str, found: list[Candidate]) -> set[tuple[int, int]]:
        """The spans of quoted brands right before a platform their descriptor names (“啄木鸟”枪爆预警防控
        模型): the brand is that platform's, not a program of its own."""
        platform_starts = {c.start for c in found if c.kind == "Platform"}
        return {(c.start, c.end) for c in found if c.kind == "Program" and c.quoted
                and c.end + 1 in platform_starts and text[c.end:c.end + 1] in CLOSING_QUOTES}
