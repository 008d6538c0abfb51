"""The route advisor as the case page shows it: the options compared, the recommended one highlighted,
the explanation, the signals with their evidence, the unavailable options with their reasons."""

from __future__ import annotations

from typing import Any

from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.legal.fees import LegalInputError
from qingzhai.legal.route_inputs import case_route

STRENGTHS = {"high": ("强", "Strong"), "medium": ("中", "Medium"), "low": ("弱", "Weak")}
COST_ITEMS = {
    "letter": ("函件费用", "Letter"),
    "acceptance_fee": ("案件受理费", "Acceptance fee"),
    "payment_order_fee": ("支付令申请费", "Payment-order fee"),
    "preservation_fee": ("财产保全申请费", "Preservation fee"),
    "mediation_fee": ("调解受理费", "Mediation fee"),
    "handling": ("办案成本", "Handling"),
    "expected_conversion": ("预计转诉讼成本", "Expected cost of conversion to a suit"),
}
BASIS = {"history": ("本所历史数据", "Our own history"), "default": ("默认参数", "Defaults")}


def _pairs(items: Any) -> list[str]:
    return [bi(zh, en) for zh, en in items or ()]


def option_row(option: Any, recommended: str) -> dict[str, Any]:
    return {
        "o": option,
        "label": bi(option.zh, option.en),
        "recommended": option.code == recommended,
        "p_text": f"{option.p_success * 100:.1f}%",
        "basis": bi(*BASIS.get(option.basis, (option.basis, option.basis))),
        "reasons": _pairs(option.unavailable_reasons),
        "notes": _pairs(getattr(option, "notes", ())),
        "breakdown": [
            (bi(*COST_ITEMS.get(key, (key, key))), fen) for key, fen in (option.cost_breakdown or {}).items()
        ],
    }


def route_context(user: Any, case_id: int) -> dict[str, Any]:
    """{"route": ...} for the page; a refused input (a bad baselines file, a case the advisor cannot
    weigh) is shown in place of the table, in the user's language, without failing the page."""
    try:
        advice = case_route(case_id=case_id, user=user)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        return {"route": None, "route_error": exc.message}
    except LegalInputError as exc:
        return {"route": None, "route_error": bi(exc.zh, exc.en)}
    options = [option_row(o, advice.recommended) for o in advice.options]
    return {
        "route": {
            "advice": advice,
            "available": [o for o in options if o["o"].available],
            "unavailable": [o for o in options if not o["o"].available],
            "recommended": next((o for o in options if o["recommended"]), None),
            "explanation": list(advice.explanation_en if _english() else advice.explanation_zh),
            "signals": [
                {
                    "s": s,
                    "label": bi(s.zh, s.en),
                    "strength": bi(*STRENGTHS.get(s.strength, (s.strength, s.strength))),
                }
                for s in advice.signals
            ],
        },
        "route_error": "",
    }


def _english() -> bool:
    from qingzhai.core.i18n import is_english

    return is_english()
