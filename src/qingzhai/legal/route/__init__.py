"""The legal route advisor: for one case, compare a demand, a payment order, a suit, mediation and
waiting, and explain which one to take.

Pure: no Django. Money is integer fen; every rate is computed in Decimal and rounded once, half up.

Cost of each option (court fees from `fees.fees_fen` on the balance, 诉讼费用交纳办法), plus a handling
cost from the baselines (a house assumption: the work of preparing and attending):
- demand (催告函 / lawyer's letter): the letter's cost;
- payment_order (支付令): the payment-order fee, 1/3 of the acceptance fee (art. 14(3)), plus the expected
  cost of conversion: (1 − p) × (top-up to the suit's acceptance fee + the suit's handling cost), since
  an objection turns it into a suit with the fee topped up (CPLI arts. 438-439, 195);
- suit (起诉): the acceptance fee, halved for small claims and the simple procedure (art. 16), plus the
  preservation fee (art. 14(2)) when an asset signal says there is something to preserve (CPL art. 103);
- mediation (调解): court mediation the halved acceptance fee (art. 15); people's mediation free;
- wait (continue collecting without legal action): nothing.

Rates: for each kind, p (chance of success), d (days) and r (share of the balance recovered on success)
come from our own closed proceedings when there are at least `min_history` of that kind (basis
"history"), else from the baselines file (basis "default", each figure with its source).

Expected recovery, with B the balance, i the annual discount rate and D(d) = 1 / (1 + i × d / 365):
    demand         E = B × p × (1 − u) × r × D(d)
    payment_order  E = B × [p × r × D(d) + (1 − p) × p_suit × r_suit × D(d + d_suit)]
    suit           E = B × p × min(1, r × (1 + u)) × D(d)
    mediation      E = B × p × r × D(d)
    wait           E = B × p_repay × decay × (1 − u) × r × D(d)
    net = E − cost
where u = min(max_uplift, Σ weight(strength)) over the act-now asset signals (new assets found, a funded
escrow account, other creditors enforcing or suing): a suit can preserve what was found; a payment order
cannot be combined with preservation (CPLI art. 427(7)); a letter or waiting secures nothing while
others seize. p_repay is the scoring model's probability, else the default. Adjustments to p:
- disputed debt: suit p × disputed_factor (the payment order is then unavailable, CPL art. 225);
- limitation expired: payment order, suit and mediation p × expired_factor (the debtor may raise the
  limitation defence, CC art. 192); wait × wait_penalty when the period ends within the wait.
The recommendation is the available option with the highest net (ties: shorter, then the listed order).
A limitation period with fewer than `limitation.warn_days` days left, or expired, is flagged.
"""

from qingzhai.legal.route.advice import advise
from qingzhai.legal.route.baselines import baselines_file, load_baselines, parse_baselines
from qingzhai.legal.route.model import (
    ASSET_SIGNALS,
    DEFAULT_FILE,
    ENV_VAR,
    KINDS,
    LABELS,
    REQUIRED,
    Advice,
    Baselines,
    History,
    Option,
    RouteError,
    RouteInputs,
    Signal,
)

__all__ = [
    "ASSET_SIGNALS",
    "DEFAULT_FILE",
    "ENV_VAR",
    "KINDS",
    "LABELS",
    "REQUIRED",
    "Advice",
    "Baselines",
    "History",
    "Option",
    "RouteError",
    "RouteInputs",
    "Signal",
    "advise",
    "baselines_file",
    "load_baselines",
    "parse_baselines",
]
