"""Amounts as court documents write them: in figures (12,345.67) and in Chinese capital numerals
(壹万贰仟叁佰肆拾伍元陆角柒分), from integer fen. Pure: no Django.

The capital form follows the rules for filling in settlement documents (《支付结算办法》附件一
《正确填写票据和结算凭证的基本规定》):
- a zero, or a run of zeros, between two non-zero digits is written as one 零 (壹拾万零伍元; 壹亿零壹仟元);
  a zero that only fills the 万 or 亿 place before a non-zero thousands digit is not written
  (壹拾万壹仟元), which the rules allow;
- 角 zero and 分 non-zero: 零 after 元 (壹拾万零伍元零柒分); a zero 元 place before a non-zero 角 is not
  written (壹仟陆佰捌拾元叁角贰分), which the rules also allow;
- an amount that ends at 元 ends with 整; one that ends at 角 or 分 does not;
- less than one yuan: no 元 (伍角陆分, 柒分); nothing at all: 零元整.
"""

from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
MAX_FEN = 10**18 - 1  # up to 9999万9999亿… yuan: far beyond any claim


def _group(value: int) -> str:
    """0 < value < 10,000 in capitals, zeros between digits as one 零, trailing zeros silent."""
    out: list[str] = []
    pending_zero = False
    for place in range(3, -1, -1):
        digit = value // 10**place % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(DIGITS[digit] + PLACES[place])
    return "".join(out)


def _below_yi(value: int) -> str:
    """0 < value < 10**8: [group 万] [零] [group]."""
    high, low = divmod(value, 10_000)
    if not high:
        return _group(low)
    out = _group(high) + "万"
    if low:
        out += ("零" if low < 1000 else "") + _group(low)
    return out


def yuan_capital(yuan: int) -> str:
    """A whole number of yuan (0 < yuan < 10**16) in capitals, without the 元: 亿 groups what comes before
    it (壹万零壹亿), and a zero or a run of zeros between non-zero digits is one 零."""
    high, low = divmod(yuan, 10**8)
    if not high:
        return _below_yi(low)
    out = _below_yi(high) + "亿"
    if low:
        out += ("零" if low < 10**7 else "") + _below_yi(low)
    return out


def capital(fen: int) -> str:
    """12_345_67 fen → 壹万贰仟叁佰肆拾伍元陆角柒分; 10_000_000 → 壹拾万元整; 10_000_507 → 壹拾万零伍元零柒分."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"an amount in fen must be an int, not {type(fen).__name__}")
    if fen < 0:
        raise ValueError("a negative amount has no capital form")
    if fen > MAX_FEN:
        raise ValueError("amount too large for capital numerals")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if fen == 0:
        return "零元整"
    out = yuan_capital(yuan) + "元" if yuan else ""
    if cents == 0:
        return out + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen_digit:
        out += DIGITS[fen_digit] + "分"
    return out


def figures(fen: int) -> str:
    """12_345_67 fen → '12,345.67' (no currency sign; templates write 人民币 or ¥ around it)."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"an amount in fen must be an int, not {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def amount_text(fen: int) -> str:
    """Both forms as a claim states them: 人民币12,345.67元（大写：壹万贰仟叁佰肆拾伍元陆角柒分）."""
    return f"人民币{figures(fen)}元（大写：{capital(fen)}）"
