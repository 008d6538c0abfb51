"""The advice: the five routes compared for one case, and the explanation (formulas in the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from qingzhai.core.money import format_fen
from qingzhai.legal.fees import fees_fen
from qingzhai.legal.machines import kind_label
from qingzhai.legal.route.baselines import load_baselines
from qingzhai.legal.route.model import (
    ASSET_SIGNALS,
    KINDS,
    LABELS,
    MEDIATIONS,
    ONE,
    PROCEDURES,
    STRENGTHS,
    Advice,
    Baselines,
    Option,
    RouteError,
    RouteInputs,
    Signal,
    Text,
)

# ---- the advice ----------------------------------------------------------------------------------

# fmt: off
T: dict[str, Text] = {
    "disputed": ("债务人对债务有争议：支付令以双方没有其他债务纠纷为条件（民事诉讼法第225条），异议将终结督促程序",
        "The debtor disputes the debt: a payment order requires no other debt dispute (CPL art. 225); an objection would end it"),
    "counter": ("债权人负有对待给付义务（民诉法解释第427条第三项）",
        "The creditor owes a counter-performance (CPLI art. 427(3))"),
    "missing": ("债务人下落不明（民诉法解释第427条第四项）",
        "The debtor's whereabouts are unknown (CPLI art. 427(4))"),
    "unserved": ("支付令无法送达债务人（民事诉讼法第225条；民诉法解释第427条第五项）",
        "The payment order cannot be served on the debtor (CPL art. 225; CPLI art. 427(5))"),
    "preserved": ("已申请诉前保全（民诉法解释第427条第七项）",
        "Pre-suit preservation was applied for (CPLI art. 427(7))"),
    "suit_open": ("已就同一债务起诉（民诉法解释第430条）",
        "A suit on the same debt is open (CPLI art. 430)"),
    "order_no_mediation": ("督促程序不适用调解（民诉法解释第143条）",
        "There is no mediation in the supervision procedure (CPLI art. 143)"),
    "suit_mediation": ("诉讼进行中可由法院主持调解，作为该诉讼的调解结案记录",
        "During the suit the court can mediate: record it as the suit ending in mediation"),
    "order_open": ("支付令程序正在进行：就同一债务起诉将终结督促程序（民诉法解释第430条），请先按其期限推进",
        "A payment order is under way: suing on the same debt would end it (CPLI art. 430); follow its deadlines first"),
    "no_party": ("债务人下落不明，无法参与调解",
        "The debtor's whereabouts are unknown: no one to mediate with"),
    "no_small_claims": ("债务人下落不明的案件不适用小额诉讼程序（民事诉讼法第166条），按普通程序估算",
        "Small claims exclude a debtor whose whereabouts are unknown (CPL art. 166): estimated as ordinary"),
    "notice": ("无法直接送达时须公告送达，周期更长",
        "Without direct service, service by public notice lengthens the case"),
    "preserve": ("已发现可供执行的财产：起诉时一并申请财产保全（民事诉讼法第103条），保全费已计入",
        "Assets were found: apply for property preservation with the suit (CPL art. 103); its fee is included"),
    "po_no_preserve": ("支付令不能与诉前保全同时申请（民诉法解释第427条第七项），所发现的财产在执行前可能被转移",
        "A payment order cannot go with pre-suit preservation (CPLI art. 427(7)): the assets found may be moved before enforcement"),
    "convert": ("债务人异议后转为诉讼，须补交受理费（民诉法解释第438-439条、第195条；已交费用可否抵扣未经确认）",
        "On the debtor's objection it turns into a suit and the acceptance fee is topped up (CPLI arts. 438-439, 195; that the fee paid is credited is unconfirmed)"),
    "disputed_suit": ("债务有争议，胜诉可能性较低",
        "The debt is disputed: a judgment is less certain"),
    "interrupts": ("送达的催告中断诉讼时效（民法典第195条；诉讼时效规定第8条）",
        "A delivered demand interrupts the limitation period (CC art. 195; SOL art. 8)"),
    "waiver": ("时效届满后催告不再中断时效，但债务人同意履行或在催收通知上签字确认的，不得再以时效抗辩（民法典第192条；诉讼时效规定第19条）",
        "After expiry a demand no longer interrupts, but a debtor who agrees to pay or signs the notice loses the limitation defence (CC art. 192; SOL art. 19)"),
    "wait_expiry": ("等待期间诉讼时效届满，债务人可拒绝履行（民法典第192条）",
        "The limitation period ends while waiting: the debtor may then refuse (CC art. 192)"),
    "no_score": ("本案尚无还款能力评分，等待方案采用默认还款概率",
        "The case has no repayment score: waiting uses the default chance"),
}
# fmt: on


def _check(i: RouteInputs) -> None:
    problems = [
        (i.balance_fen <= 0, "nothing_owed", "balance", "案件没有未结余额", "The case owes nothing"),
        (i.p_repay is not None and not 0 <= i.p_repay <= 1, "p_repay_invalid", "p_repay",
         "还款概率须在 0 到 1 之间", "The repayment probability must be between 0 and 1"),
        (i.procedure not in (None, *PROCEDURES), "procedure_invalid", "procedure",
         f"未知的诉讼程序：{i.procedure}", f"Unknown procedure: {i.procedure}"),
        (i.mediation not in MEDIATIONS, "mediation_invalid", "mediation",
         f"未知的调解方式：{i.mediation}", f"Unknown mediation: {i.mediation}"),
        (any(s.strength not in STRENGTHS for s in i.signals), "signal_invalid", "signals",
         "信号强度须为 high、medium 或 low", "A signal's strength must be high, medium or low"),
        (any(h.n < 0 or h.mean_days < 0 or not 0 <= h.success_rate <= 1 or not 0 <= h.recovery_rate <= 1
             for h in i.history.values()), "history_invalid", "history", "历史数据无效", "Bad history figures"),
    ]  # fmt: skip
    for failed, code, fld, zh, en in problems:
        if failed:
            raise RouteError(code, fld, zh, en)


def _dec(x: float) -> Decimal:
    return Decimal(str(x))


def _fen(x: Decimal) -> int:
    return int(x.quantize(ONE, rounding=ROUND_HALF_UP))


def _limitation_signal(days: int | None, warn: int) -> Signal | None:
    if days is None or days >= warn:
        return None
    if days < 0:
        return Signal(
            "limitation_expired",
            "诉讼时效已届满：债务人可以提出时效抗辩（民法典第192条），法院不主动适用（第193条）；"
            "债务人在催收通知上签字确认的视为放弃抗辩（诉讼时效规定第19条）",
            "The limitation period has expired: the debtor may raise the limitation defence (CC art. 192); "
            "the court does not apply it on its own (art. 193); a debtor who signs a collection notice "
            "waives it (SOL art. 19)",
            f"expired {-days} days ago",
            "high",
        )
    return Signal(
        "limitation_near",
        f"诉讼时效仅剩 {days} 天：催告、申请支付令或起诉可中断时效（民法典第195条；诉讼时效规定第8、10、11条）",
        f"Only {days} days of the limitation period left: a demand, a payment order or a suit interrupts it "
        "(CC art. 195; SOL arts. 8, 10, 11)",
        f"{days} days left",
        "high",
    )


def _unavailable(kind: str, i: RouteInputs) -> list[Text]:
    out: list[Text] = []
    if kind in i.open_kinds:
        out.append(
            (
                f"本案已有进行中的{kind_label(kind)[0]}",
                f"One is already open for this case: {kind_label(kind)[1].lower()}",
            )
        )
    if kind == "payment_order":
        for failed, key in (
            (i.disputed, "disputed"),
            (i.counter_obligation, "counter"),
            (not i.whereabouts_known, "missing"),
            (not i.servable, "unserved"),
            (i.preservation_applied, "preserved"),
            ("suit" in i.open_kinds, "suit_open"),
        ):
            if failed:
                out.append(T[key])
    if kind == "suit" and "payment_order" in i.open_kinds:
        out.append(T["order_open"])
    if kind == "mediation" and "payment_order" in i.open_kinds:
        out.append(T["order_no_mediation"])
    if kind == "mediation" and "suit" in i.open_kinds:
        out.append(T["suit_mediation"])
    if kind == "mediation" and not i.whereabouts_known:
        out.append(T["no_party"])
    return out


@dataclass
class _Draft:
    p: Decimal
    d: int
    r: Decimal
    basis: str
    cost: dict[str, int] = field(default_factory=dict)
    notes: list[Text] = field(default_factory=list)
    expected: Decimal = Decimal(0)  # share of the balance


def advise(inputs: RouteInputs, baselines: Baselines | None = None) -> Advice:
    """Compare the five routes for one case and recommend one (formulas in the module docstring)."""
    _check(inputs)
    i, b = inputs, baselines or load_baselines()
    fees = fees_fen(i.balance_fen)
    left = i.limitation_days_left
    expired = left is not None and left < 0
    warn = b.days("limitation.warn_days")
    act_now = [s for s in i.signals if s.code in ASSET_SIGNALS]
    uplift = min(b["max_uplift"], sum((b[f"signal_weight.{s.strength}"] for s in act_now), Decimal(0)))
    lim_signal = _limitation_signal(left, warn)

    def disc(days: int) -> Decimal:
        return ONE / (ONE + b["discount_rate_annual"] * Decimal(days) / Decimal(365))

    procedure = i.procedure or "simple"
    if not i.whereabouts_known and procedure == "small_claims":
        procedure = "ordinary"
    drafts: dict[str, _Draft] = {}
    for kind in KINDS[:-1]:
        h = i.history.get(kind)
        if h is not None and h.n >= b.days("min_history"):
            drafts[kind] = _Draft(_dec(h.success_rate), max(h.mean_days, 1), _dec(h.recovery_rate), "history")
        else:
            days_key = f"suit.duration_days.{procedure}" if kind == "suit" else f"{kind}.duration_days"
            drafts[kind] = _Draft(
                b[f"{kind}.p_success"], b.days(days_key), b[f"{kind}.recovery_rate"], "default"
            )
            ps, ds, rs = (b.sources[k] for k in (f"{kind}.p_success", days_key, f"{kind}.recovery_rate"))
            drafts[kind].notes.append(
                (
                    f"默认值来源：成功率 {ps}；周期 {ds}；回收率 {rs}",
                    f"Defaults: success {ps}; days {ds}; recovery {rs}",
                )
            )
        if expired and kind != "demand":
            drafts[kind].p *= b["limitation.expired_factor"]
    dem, po, suit, med = (drafts[k] for k in KINDS[:-1])

    dem.p *= ONE - uplift
    dem.cost = {"letter": int(b["demand.cost_fen"])}
    dem.expected = dem.p * dem.r * disc(dem.d)
    if left is not None and 0 <= left < warn:
        dem.notes.append(T["interrupts"])
    elif expired:
        dem.notes.append(T["waiver"])

    if i.disputed:
        suit.p *= b["suit.disputed_factor"]
        suit.notes.append(T["disputed_suit"])
    suit_fee = fees["acceptance_halved" if procedure in ("small_claims", "simple") else "acceptance"]
    suit_handling = int(b["suit.handling_fen"])
    suit.cost = {"acceptance_fee": suit_fee, "handling": suit_handling}
    if act_now:
        suit.cost["preservation_fee"] = fees["preservation"]
        suit.notes.append(T["preserve"])
    suit.expected = suit.p * min(ONE, suit.r * (ONE + uplift)) * disc(suit.d)
    if procedure != (i.procedure or "simple"):
        suit.notes.append(T["no_small_claims"])
    if not i.servable:
        suit.notes.append(T["notice"])

    # An objected payment order turns into a suit (without preservation, hence suit.r, not uplifted).
    po.expected = po.p * po.r * disc(po.d) + (ONE - po.p) * suit.p * suit.r * disc(po.d + suit.d)
    top_up = max(0, suit_fee - fees["payment_order"]) + suit_handling
    po.cost = {
        "payment_order_fee": fees["payment_order"],
        "handling": int(b["payment_order.handling_fen"]),
        "expected_conversion": _fen((ONE - po.p) * top_up),
    }
    po.notes.append(T["convert"])
    if act_now:
        po.notes.append(T["po_no_preserve"])

    med.cost = {
        "mediation_fee": fees["acceptance_halved"] if i.mediation == "court" else 0,
        "handling": int(b["mediation.handling_fen"]),
    }
    med.expected = med.p * med.r * disc(med.d)

    wait = _Draft(_dec(i.p_repay) if i.p_repay is not None else b["wait.p_repay"], b.days("wait.duration_days"),
                  b["wait.recovery_rate"], "default")  # fmt: skip
    wait.p *= b["wait.decay"] * (ONE - uplift)
    if i.p_repay is None:
        wait.notes.append(T["no_score"])
    else:
        wait.notes.append(
            (
                f"还款概率取自评分模型：{i.p_repay:.1%}",
                f"Repayment chance from the scoring model: {i.p_repay:.1%}",
            )
        )
    if left is not None and left < wait.d:
        wait.p *= b["limitation.wait_penalty"]
        wait.notes.append(T["wait_expiry"])
    wait.expected = wait.p * wait.r * disc(wait.d)
    drafts["wait"] = wait

    options = [_option(kind, drafts[kind], i, procedure) for kind in KINDS]
    ranked = sorted(
        (o for o in options if o.available), key=lambda o: (-o.net_fen, o.duration_days, KINDS.index(o.code))
    )
    zh, en = _explain(ranked, options, act_now, lim_signal, i, b)
    signals = (*i.signals, lim_signal) if lim_signal else i.signals
    return Advice(i.on, tuple(options), ranked[0].code, tuple(zh), tuple(en), tuple(signals))


def _option(kind: str, dr: _Draft, i: RouteInputs, procedure: str) -> Option:
    expected = _fen(Decimal(i.balance_fen) * dr.expected)
    cost = sum(dr.cost.values())
    reasons = _unavailable(kind, i)
    return Option(
        code=kind,
        zh=LABELS[kind][0],
        en=LABELS[kind][1],
        available=not reasons,
        unavailable_reasons=tuple(reasons),
        cost_fen=cost,
        cost_breakdown=dr.cost,
        duration_days=dr.d,
        p_success=float(dr.p.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
        expected_recovery_fen=expected,
        net_fen=expected - cost,
        basis=dr.basis,
        notes=tuple(dr.notes),
        procedure={"suit": procedure, "mediation": i.mediation}.get(kind, ""),
    )


def _explain(
    ranked: list[Option],
    options: list[Option],
    act_now: list[Signal],
    lim: Signal | None,
    i: RouteInputs,
    b: Baselines,
) -> tuple[list[str], list[str]]:
    best = ranked[0]
    under_way = [k for k in ("payment_order", "suit", "mediation") if k in i.open_kinds]
    zh = [f"本案已有进行中的{kind_label(k)[0]}：先按其期限推进，下列为其他路径的比较。" for k in under_way]
    en = [
        f"A {kind_label(k)[1].lower()} is under way for this case: follow its deadlines; below, the other routes."
        for k in under_way
    ]
    zh += [
        f"建议：{best.zh}。预计回收 {format_fen(best.expected_recovery_fen)}，费用 {format_fen(best.cost_fen)}，"
        f"净额 {format_fen(best.net_fen)}，约 {best.duration_days} 天。"
    ]
    en += [
        f"Recommended: {best.en}. Expected recovery {format_fen(best.expected_recovery_fen)}, cost "
        f"{format_fen(best.cost_fen)}, net {format_fen(best.net_fen)}, about {best.duration_days} days."
    ]
    if len(ranked) > 1:
        nxt, gap = ranked[1], format_fen(best.net_fen - ranked[1].net_fen)
        zh.append(f"比次优方案「{nxt.zh}」（净额 {format_fen(nxt.net_fen)}）高 {gap}。")
        en.append(f"That is {gap} more than the next best, {nxt.en} (net {format_fen(nxt.net_fen)}).")
    for s in act_now:
        zh.append(f"宜立即起诉：{s.zh}（{s.evidence}）。起诉并申请保全可锁定财产，等待或仅催告则可能落空。")
        en.append(f"Act now: {s.en} ({s.evidence}). A suit with preservation can secure it; waiting or a "
                  "letter may come too late.")  # fmt: skip
    if lim is not None:
        zh.append(f"{lim.zh}。")
        en.append(f"{lim.en}.")
    for o in options:
        for rz, ren in o.unavailable_reasons:
            zh.append(f"不可选「{o.zh}」：{rz}。")
            en.append(f"Not available, {o.en}: {ren}.")
    own = [o for o in options if o.basis == "history"]
    for o in own:
        n = i.history[o.code].n
        zh.append(f"「{o.zh}」的成功率、周期和回收率取自本平台 {n} 件已结程序。")
        en.append(f"{o.en}: success rate, duration and recovery rate from our own {n} closed proceedings.")
    if len(own) < len(KINDS) - 1:
        least = b.days("min_history")
        zh.append(
            f"其余方案采用默认值（来源文章的行业说法或本平台假设，非本平台测量；同类已结程序满 {least} 件后改用自有数据）。"
        )
        en.append(f"The other routes use defaults (the source article's industry claims or house assumptions, not "
                  f"our measurements; our own figures replace them once {least} closed proceedings of a kind exist).")  # fmt: skip
    if i.p_repay is None:
        zh.append(f"{T['no_score'][0]}。")
        en.append(f"{T['no_score'][1]}.")
    return zh, en
