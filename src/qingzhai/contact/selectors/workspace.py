"""The collector's next-best-case queue, and what the workspace screen shows of one case.

Which cases: the open ones (new, contact, negotiated, agreement) among those the user may see
(`portfolio.selectors.case_queryset_for_user`) that are assigned to the user; a user who sees every case
(a supervisor working the phones) also gets the unassigned ones. A case called (human or bot call) in the
last `RECENT_CALL_MINUTES` is left out, so that "next case" moves on after an outcome.

Priority, best first:

1. tier 0 — callback due: the next action date is today or earlier;
2. tier 1 — promise to check: an open promise due today or earlier, or a promise broken in the last
   `BROKEN_PROMISE_DAYS` days;
3. tier 2 — everything else;

and within a tier by expected recovery = balance x p, where p is the probability to pay of the case's
latest repayment score (scoring app) or `UNSCORED_PROBABILITY` when it has none; then by balance, then by
case number. (The strategy app, when it comes, replaces p and the tiers with its treatment paths.)

Lawful window: a candidate is put through the compliance gate's pure engine for a human call to the
debtor's primary valid number now (`compliance.gate.engine.evaluate` with the inputs of
`compliance.inputs`); one the gate would refuse is skipped with the rules' reasons. Only the top
`NEXT_SCAN` candidates are evaluated for "next case", and the queue list evaluates the rows it shows, so
a page costs a bounded number of queries whatever the size of the book. Nothing is stored here: the real
decision is asked for and stored when the outcome is logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from qingzhai.accounts import roles
from qingzhai.compliance import inputs
from qingzhai.compliance.gate.engine import evaluate, history_lookback
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.core.masking import mask_person_name
from qingzhai.portfolio.models import Activity, Case, ContactPoint, PromiseToPay
from qingzhai.portfolio.selectors import case_queryset_for_user
from qingzhai.portfolio.stages import Stage
from qingzhai.scoring.models import CaseScore

OPEN_STAGES = (Stage.NEW.value, Stage.CONTACT.value, Stage.NEGOTIATED.value, Stage.AGREEMENT.value)
RECENT_CALL_MINUTES = 120
BROKEN_PROMISE_DAYS = 7
UNSCORED_PROBABILITY = 0.5
NEXT_SCAN = 20  # candidates put through the gate before "next case" gives up
LIST_SIZE = 12  # rows of the queue list (each one evaluated by the gate)

TIER_CALLBACK, TIER_PROMISE, TIER_SCORE = 0, 1, 2
TIER_LABELS = {
    TIER_CALLBACK: ("回电到期", "Callback due"),
    TIER_PROMISE: ("承诺待核实", "Promise to check"),
    TIER_SCORE: ("按评分", "By score"),
}


@dataclass
class Refusal:
    rule: str
    zh: str
    en: str


@dataclass
class QueueEntry:
    case: Case
    tier: int
    probability: float | None  # of the latest score; None when unscored
    expected_fen: int
    contact_point: ContactPoint | None = None
    callable: bool | None = None  # None: not put through the gate
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def tier_label(self) -> tuple[str, str]:
        return TIER_LABELS[self.tier]


def _require(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.can(roles.WORK_CASE):
        raise AccessDenied()


def candidates(*, user: Any, at: datetime | None = None) -> QuerySet[Case]:
    """The cases the user may work now, annotated with `tier`, `probability` and `expected` and ordered by
    priority (see the module's docstring). One query; related rows joined."""
    _require(user)
    at = at or now()
    today = business_today(at)
    qs = case_queryset_for_user(user).filter(stage__in=OPEN_STAGES)
    if user.can(roles.VIEW_ALL):
        qs = qs.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
    else:
        qs = qs.filter(assigned_to=user)
    recent_call = Activity.objects.filter(
        case_id=OuterRef("pk"),
        kind__in=(Activity.Kind.CALL, Activity.Kind.BOT_CALL),
        occurred_at__gte=at - timedelta(minutes=RECENT_CALL_MINUTES),
        occurred_at__lte=at,
    )
    promise_due = PromiseToPay.objects.filter(
        case_id=OuterRef("pk"), status=PromiseToPay.Status.OPEN, due_date__lte=today
    )
    promise_broken = PromiseToPay.objects.filter(
        case_id=OuterRef("pk"),
        status=PromiseToPay.Status.BROKEN,
        resolved_at__gte=at - timedelta(days=BROKEN_PROMISE_DAYS),
    )
    latest_p = (
        CaseScore.objects.filter(case_id=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("probability")[:1]
    )
    qs = (
        qs.exclude(Exists(recent_call))
        .annotate(
            probability=Subquery(latest_p, output_field=FloatField()),
            tier=CaseWhen(
                When(next_action_date__lte=today, then=Value(TIER_CALLBACK)),
                When(Exists(promise_due) | Exists(promise_broken), then=Value(TIER_PROMISE)),
                default=Value(TIER_SCORE),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            expected=ExpressionWrapper(
                Cast("total_balance_fen", FloatField())
                * Coalesce(F("probability"), Value(UNSCORED_PROBABILITY), output_field=FloatField()),
                output_field=FloatField(),
            )
        )
        .select_related("debtor", "portfolio__creditor", "assigned_to")
    )
    return qs.order_by("tier", F("expected").desc(), F("total_balance_fen").desc(), "id")


def _entry(case: Any) -> QueueEntry:
    probability = case.probability
    return QueueEntry(
        case=case,
        tier=int(case.tier),
        probability=float(probability) if probability is not None else None,
        expected_fen=round(case.expected or 0),
    )


def _primary_numbers(cases: Iterable[Case]) -> dict[int, ContactPoint]:
    """The number a human call would dial, per debtor: the first valid debtor-party number (primary first)."""
    debtor_ids = {c.debtor_id for c in cases}
    found: dict[int, ContactPoint] = {}
    points = ContactPoint.objects.filter(
        debtor_id__in=debtor_ids, party=ContactPoint.Party.DEBTOR, status=ContactPoint.Status.VALID
    ).order_by("-is_primary", "id")
    for cp in points:
        found.setdefault(cp.debtor_id, cp)
    return found


class _Gate:
    """The pure gate engine over database inputs, with one pack read per creditor."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.packs: dict[int, Any] = {}

    def check(self, entry: QueueEntry) -> None:
        case = entry.case
        if entry.contact_point is None:
            entry.callable = False
            entry.refusals = [
                Refusal("workspace.no_number", "没有可用的债务人本人号码", "No valid debtor number")
            ]
            return
        creditor_id = case.portfolio.creditor_id
        try:
            if creditor_id not in self.packs:
                self.packs[creditor_id] = inputs.pack_for(creditor_id, self.at)[0]
        except DomainError as exc:
            entry.callable = False
            entry.refusals = [Refusal(exc.code, exc.zh, exc.en)]
            return
        pack = self.packs[creditor_id]
        facts = inputs.debtor_facts(case)
        request = inputs.contact_request(
            case=case,
            at=self.at,
            kind=Activity.Kind.CALL,
            party=Activity.Party.DEBTOR,
            contact_point_id=entry.contact_point.pk,
        )
        history = inputs.contact_history(
            debtor_id=case.debtor_id, before=self.at, since=self.at - history_lookback(pack)
        )
        decision = evaluate(pack, facts, request, history)
        entry.callable = decision.allowed
        entry.refusals = [Refusal(h.rule, h.zh, h.en) for h in decision.denials]


def queue(*, user: Any, at: datetime | None = None, size: int = LIST_SIZE) -> list[QueueEntry]:
    """The top `size` cases of the user's queue, each put through the gate (callable now or why not)."""
    at = at or now()
    entries = [_entry(c) for c in candidates(user=user, at=at)[:size]]
    numbers = _primary_numbers(e.case for e in entries)
    gate = _Gate(at)
    for entry in entries:
        entry.contact_point = numbers.get(entry.case.debtor_id)
        gate.check(entry)
    return entries


@dataclass
class NextPick:
    entry: QueueEntry | None  # the best case the gate allows a call to now; None when there is none
    skipped: list[QueueEntry]  # better-ranked cases the gate refused, with the reasons


def next_case(*, user: Any, at: datetime | None = None, scan: int = NEXT_SCAN) -> NextPick:
    """The best case to call now: candidates in priority order, put through the gate one by one until one
    is allowed (at most `scan` of them)."""
    at = at or now()
    rows = [_entry(c) for c in candidates(user=user, at=at)[:scan]]
    numbers = _primary_numbers(e.case for e in rows)
    gate = _Gate(at)
    skipped: list[QueueEntry] = []
    for entry in rows:
        entry.contact_point = numbers.get(entry.case.debtor_id)
        gate.check(entry)
        if entry.callable:
            return NextPick(entry=entry, skipped=skipped)
        skipped.append(entry)
    return NextPick(entry=None, skipped=skipped)


def queue_size(*, user: Any, at: datetime | None = None) -> int:
    """How many cases are in the user's queue (before the gate)."""
    return candidates(user=user, at=at).count()


# --- the case screen ------------------------------------------------------------------------------

SCRIPT = "standard_v2"
MAX_HEARD = 60  # debtor lines replayed in one conversation
# The script is written for the bot; a person reading it out does not call themself an assistant.
SPOKEN_BY_A_PERSON = (("智能客服", "客服专员"),)
HANDOVER_NODES = frozenset({"offer_human", "handover"})


@dataclass
class Balances:
    principal_fen: int
    interest_fen: int
    penalty_fen: int
    fee_fen: int
    total_fen: int
    overdue_since: Any
    max_dpd: int
    bucket: str


@dataclass
class Screen:
    case: Case
    name_masked: str
    id_masked: str
    numbers: list[ContactPoint]
    dial: ContactPoint | None
    balances: Balances
    debts: list[Any]
    activities: list[Activity]
    promises: list[PromiseToPay]
    score: Any  # the latest CaseScore, or None (or not shown without scoring.view)


def mask_name(name: str) -> str:
    """张三丰 -> 张**: the surname the collector addresses the debtor by, not the full name."""
    return mask_person_name(name) or "—"


def screen(*, user: Any, case_id: int | str) -> Screen:
    """Everything the workspace screen shows of one case (about 7 queries)."""
    from qingzhai.portfolio.selectors import case_detail

    _require(user)
    case = case_detail(user=user, case_id=case_id)
    debts = list(case.debts.all())
    numbers = list(case.debtor.contact_points.all())
    dial = next(
        (
            cp
            for cp in numbers
            if cp.party == ContactPoint.Party.DEBTOR and cp.status == ContactPoint.Status.VALID
        ),
        None,
    )
    parts = {
        p: sum(getattr(d, f"{p}_fen") for d in debts) for p in ("principal", "interest", "penalty", "fee")
    }
    overdue = [d.overdue_since for d in debts if d.overdue_since]
    balances = Balances(
        principal_fen=parts["principal"],
        interest_fen=parts["interest"],
        penalty_fen=parts["penalty"],
        fee_fen=parts["fee"],
        total_fen=case.total_balance_fen,
        overdue_since=min(overdue) if overdue else None,
        max_dpd=case.max_dpd,
        bucket=case.bucket,
    )
    activities = list(
        Activity.objects.filter(case=case)
        .select_related("actor", "contact_point")
        .order_by("-occurred_at", "-id")[:6]
    )
    promises = list(PromiseToPay.objects.filter(case=case).order_by("-created_at", "-id")[:4])
    score = None
    if user.can(roles.SCORING_VIEW):
        from qingzhai.scoring.selectors import latest_score_of

        score = latest_score_of(case)
    return Screen(
        case=case,
        name_masked=mask_name(case.debtor.name),
        id_masked=case.debtor.id_number_masked,
        numbers=numbers,
        dial=dial,
        balances=balances,
        debts=debts,
        activities=activities,
        promises=promises,
        score=score,
    )


@dataclass
class AssistTurn:
    speaker: str  # "script" (the line suggested to the collector) or "debtor"
    text: str
    node: str
    branch: str
    emotion: dict[str, Any] | None = None
    intent: str = ""


@dataclass
class Assist:
    """The script in assist mode: what was said so far, and the next line the script suggests."""

    available: bool
    turns: list[AssistTurn] = field(default_factory=list)
    suggestion: str = ""
    suggestion_en: str = ""
    node: str = ""
    branch: str = "standard"
    emotion: str = ""  # the debtor's emotion on their last line
    done: bool = False
    handover: bool = False  # the script leaves the rest to a person: the collector goes on freely
    outcome: str = ""  # the script's outcome once it ended (promise, dispute, wrong_number ...)
    promise_amount_fen: int | None = None
    promise_date: Any = None
    problem: tuple[str, str] | None = None  # why the script cannot be used on this case
    heard: list[str] = field(default_factory=list)


def _spoken(text: str) -> str:
    for bot_word, person_word in SPOKEN_BY_A_PERSON:
        text = text.replace(bot_word, person_word)
    return text


def script_assist(*, case: Case, heard: list[str], at: datetime | None = None) -> Assist:
    """Replay the conversation so far through the dialog engine (stateless: the debtor's lines come back
    with each request) and return the line the script suggests next. The engine's own screener checks each
    suggested line with the compliance monitor; a flagged line is never suggested. Nothing is stored."""
    from qingzhai.contact.dialog import DialogEngine, load_script
    from qingzhai.contact.services.bot_calls import account_for

    try:
        account = account_for(case)
    except DomainError as exc:
        return Assist(available=False, problem=(exc.zh, exc.en))
    lines = [line.strip()[:500] for line in heard if line and line.strip()][:MAX_HEARD]
    engine = DialogEngine(load_script(SCRIPT), account, today=business_today(at or now()))
    engine.start()
    used: list[str] = []
    for line in lines:
        if engine.done:
            break
        engine.hear(line)
        used.append(line)
    turns = [
        AssistTurn(
            speaker="script" if t.speaker == "bot" else "debtor",
            text=_spoken(t.text) if t.speaker == "bot" else t.text,
            node=t.node,
            branch=t.branch,
            emotion=t.emotion,
            intent=(t.intent or {}).get("name", ""),
        )
        for t in engine.transcript.turns
    ]
    last_script = next((t for t in reversed(turns) if t.speaker == "script"), None)
    node = engine.script.nodes.get(last_script.node) if last_script else None
    outcome = engine.outcome
    gloss = ""
    if node is not None:
        try:
            gloss = engine._render(node.line(engine.branch).en)
        except KeyError:
            gloss = node.line(engine.branch).en
    return Assist(
        available=True,
        turns=turns,
        suggestion=last_script.text if last_script else "",
        suggestion_en=gloss,
        node=last_script.node if last_script else "",
        branch=engine.branch,
        emotion=engine.emotions[-1] if engine.emotions else "",
        done=engine.done,
        handover=bool(last_script and last_script.node in HANDOVER_NODES),
        outcome=outcome.kind if outcome else "",
        promise_amount_fen=engine.promise[0] if engine.promise else None,
        promise_date=engine.promise[1] if engine.promise else None,
        heard=used,
    )
