"""Numbers as Chinese reports write them: Arabic digits, Chinese numerals, 万/亿 multipliers.

Shared by the structure (section numbers 一、十二、) and the figures (25.9万件, 三十余人).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS: dict[str, int] = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                          "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
#: Every character a Chinese numeral may be written with.
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)


def chinese_to_int(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 三百零五 → 305, 一万二千 → 12000, 万 → 10000; None if not a numeral.

    Digit-by-digit numerals (二〇二二) are read positionally, as years are written.
    """
    if not numeral or any(ch not in NUMERAL_CHARS for ch in numeral):
        return None
    if all(ch in DIGITS for ch in numeral) and len(numeral) > 1:
        return int("".join(str(DIGITS[ch]) for ch in numeral))
    above_wan, below_yi, section, digit = 0, 0, 0, None  # 亿 groups done, 万 groups done, current group
    for ch in numeral:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch == "万":  # a bare 万 (万余人) is 10 000
            below_yi += ((section + (digit or 0)) or 1) * BIG_UNITS[ch]
            section, digit = 0, None
        else:
            above_wan += ((below_yi + section + (digit or 0)) or 1) * BIG_UNITS[ch]
            below_yi, section, digit = 0, 0, None
    return above_wan + below_yi + section + (digit or 0)


def parse_number(digits: str, multiplier: str = "") -> Decimal | None:
    """The value of a figure: `digits` in Arabic or Chinese numerals, times 万/亿/千/百 if given.

    Thousands separators are ignored (1,234); a value that cannot be read is None.
    """
    if digits and digits[0].isdigit():
        try:
            value = Decimal(digits.replace(",", "") if "," in digits else digits)
        except InvalidOperation:
            return None
    else:
        as_int = chinese_to_int(digits)
        if as_int is None:
            return None
        value = Decimal(as_int)
    for ch in multiplier:
        value *= BIG_UNITS.get(ch) or SMALL_UNITS.get(ch, 1)
    if "." not in digits and not multiplier:
        return value
    return Decimal(int(value)) if value == value.to_integral() else value.normalize()
