"""Chinese amounts and dates as debtors say them, parsed against a business date (never the wall clock).

parse_amount_fen("一千五")            # 150000
parse_amount_fen("3000块")            # 300000
parse_date("下周五", date(2026, 5, 13))  # date(2026, 5, 22)
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN = "零〇一幺二两俩三四五六七八九十百千万"
_NUM = rf"(?:\d[\d,，]*(?:\.\d+)?|[{_CN}]+)"
_UNIT_WORDS = "元|块钱|块|圆|rmb|RMB"
# an amount: a number then a money unit, or a number with 千/万/百 in it ("三千", "一千五", "1.5万")
_AMOUNT = re.compile(
    rf"(?P<num>\d[\d,，]*(?:\.\d+)?\s*[万千]?|[{_CN}]+)\s*(?P<unit>{_UNIT_WORDS})?(?P<jiao>[{_CN[2:]}\d]毛)?"
)
WEEKDAYS = {
    "一": 0,
    "1": 0,
    "二": 1,
    "2": 1,
    "三": 2,
    "3": 2,
    "四": 3,
    "4": 3,
    "五": 4,
    "5": 4,
    "六": 5,
    "6": 5,
    "日": 6,
    "天": 6,
    "7": 6,
}


def cn_number(text: str) -> int | None:
    """Value of a Chinese numeral, colloquial elisions included: 一千五 = 1500, 两万三 = 23000, 十五 = 15."""
    if not text or any(c not in DIGITS and c not in UNITS for c in text):
        return None
    if all(c in DIGITS for c in text):  # digit by digit: 三零零零
        return int("".join(str(DIGITS[c]) for c in text))
    total = 0  # finished 万 groups
    section = 0  # inside the current 万 group
    digit: int | None = None
    last_unit = 0
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
            continue
        unit = UNITS[ch]
        if unit == 10000:
            section += digit or 0
            total += (section or 1) * 10000
            section, digit, last_unit = 0, None, 10000
            continue
        section += (1 if digit is None else digit) * unit
        digit, last_unit = None, unit
    if digit is not None:
        # a trailing digit after a unit means the next lower unit: 一千五 -> 1500, 两万三 -> 23000
        if text[-2] in UNITS and last_unit >= 100 and len(text) >= 2:
            section += digit * (last_unit // 10)
        else:
            section += digit
    return total + section


def _to_fen(raw: str) -> int | None:
    raw = raw.replace(",", "").replace("，", "").replace(" ", "")
    scale = 1
    if raw and raw[-1] in "万千" and raw[0].isdigit():
        scale = 10000 if raw[-1] == "万" else 1000
        raw = raw[:-1]
    if raw and raw[0].isdigit():
        whole, _, frac = raw.partition(".")
        if not whole.isdigit() or (frac and not frac.isdigit()):
            return None
        frac_fen = (frac + "00")[:2] if frac else "00"
        fen = int(whole) * 100 + int(frac_fen)
        if scale > 1:  # 1.5万: the fraction belongs to the scale
            fen = (int(whole) * scale * 100) + (int((frac or "0")[:4].ljust(4, "0")) * scale * 100) // 10000
        return fen
    value = cn_number(raw)
    return None if value is None else value * 100


def parse_amount_fen(text: str) -> int | None:
    """The first money amount in ``text``, in fen; a bare number counts only with a unit (元, 块) or when it
    has 百/千/万 in it, so that "15号" or "后四位1234" are not amounts."""
    for m in _AMOUNT.finditer(text):
        num, unit = m.group("num").strip(), m.group("unit")
        after = text[m.end() : m.end() + 1]
        if after in ("号", "日", "月", "期", "天", "个", "周", "年", "点", "%", "折", "成"):
            continue
        big = any(c in num for c in "百千万")
        if not unit and not big:
            continue
        if num.isdigit() and not unit and len(num) <= 1:
            continue
        fen = _to_fen(num)
        if fen is None or fen == 0:
            continue
        jiao = m.group("jiao")
        if jiao:
            j = jiao[0]
            fen += (int(j) if j.isdigit() else DIGITS.get(j, 0)) * 10
        return fen
    return None


def _int(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return cn_number(token)


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, months: int, day: int) -> date | None:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    if day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


_DAY_NUM = rf"(\d{{1,2}}|[{_CN[:-4]}十]{{1,3}})"
_REL = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}


def parse_date(text: str, today: date) -> date | None:
    """The first payment date in ``text`` relative to the business date ``today``.

    Understands 今天/明天/后天/大后天, N天后/N天内, 周五/这周五/下周五/下下周一, 15号/15日 (this month, or
    next month when already past), 下个月15号, 5月20日, 月底/下个月底, 月初/下个月初, 2026-05-20."""
    m = re.search(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    for word in sorted(_REL, key=len, reverse=True):
        if word in text:
            return today + timedelta(days=_REL[word])
    m = re.search(rf"{_DAY_NUM}\s*天(?:后|以后|之后|内|之内|以内)", text)
    if m and (n := _int(m.group(1))) is not None:
        return today + timedelta(days=n)
    m = re.search(r"(下下|下个?|这个?|本|)(?:周|星期|礼拜)([一二三四五六日天1-7])", text)
    if m:
        prefix, target = m.group(1), WEEKDAYS[m.group(2)]
        monday = today - timedelta(days=today.weekday())
        if prefix.startswith("下下"):
            return monday + timedelta(days=14 + target)
        if prefix.startswith("下"):
            return monday + timedelta(days=7 + target)
        if prefix:  # 这周 / 本周
            return monday + timedelta(days=target)
        ahead = (target - today.weekday()) % 7  # bare 周五: the next one (today counts)
        return today + timedelta(days=ahead)
    months_ahead = 1 if re.search(r"下个?月", text) else 0
    if re.search(r"月底|月末", text):
        return month_end(add_months(today, months_ahead, 1) or today)
    if re.search(r"月初", text):
        return add_months(today, months_ahead if months_ahead else 1, 1)
    m = re.search(rf"(\d{{1,2}}|[{_CN[:-4]}十]{{1,3}})\s*月\s*{_DAY_NUM}\s*[号日]", text)
    if m:
        month, day = _int(m.group(1)), _int(m.group(2))
        if month and day and 1 <= month <= 12:
            try:
                d = date(today.year, month, day)
            except ValueError:
                return None
            return d if d >= today else add_months(d, 12, day)
    m = re.search(rf"{_DAY_NUM}\s*[号日]", text)
    if m and (day := _int(m.group(1))) is not None and 1 <= day <= 31:
        if months_ahead:
            return add_months(today, 1, day)
        if day >= today.day:
            return add_months(today, 0, day)
        return add_months(today, 1, day)
    return None


def parse_count(text: str, words: tuple[str, ...] = ("期", "个月", "次")) -> int | None:
    """A count before one of ``words``: 分六期 -> 6, 分3个月 -> 3."""
    alt = "|".join(map(re.escape, words))
    text = re.sub(r"一次性|一次还清|一次还完|一次付清", "", text)
    num = rf"(\d{{1,2}}|[{_CN[:-4]}十]{{1,3}})"
    m = re.search(rf"分\s*{num}\s*(?:{alt})", text) or re.search(rf"{num}\s*(?:{alt})", text)
    if m:
        return _int(m.group(1))
    return None


def parse_discount_pct(text: str) -> int | None:
    """A discount asked for, in percent off: 八折 -> 20, 八五折 -> 15, 减免20% / 打掉两成 -> 20."""
    m = re.search(rf"([{_CN[:-4]}\d])([{_CN[:-4]}\d])?\s*折", text)
    if m:
        first = _int(m.group(1))
        second = _int(m.group(2)) if m.group(2) else 0
        if first is not None and second is not None and first > 0:
            return 100 - (first * 10 + second)
    m = re.search(r"(\d{1,2})\s*%", text)
    if m:
        return int(m.group(1))
    m = re.search(rf"([{_CN[:-4]}\d])\s*成", text)
    if m and (n := _int(m.group(1))) is not None and 0 < n < 10:
        return n * 10
    return None
