"""The turn engine: one call, one script, one account.

    engine = DialogEngine(load_script("standard_v1"), account, today=date(2026, 5, 13))
    first = engine.start()               # the bot's first turn
    reply = engine.hear("是我")           # the debtor's turn in, the bot's next turn out
    engine.transcript.as_dict()          # turns with emotion, intent, branch and compliance result

Every bot line is screened (``screener``, by default the compliance monitor with ``speaker="bot"``) before
it is said; a flagged line is never said: the node's fallback line is tried, else the call is handed over,
and the block is recorded. The debt is not spoken of before the right party is verified. Emotion of every
debtor turn (``classifier``, by default :func:`qingzhai.contact.emotion.classify`) switches the branch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import date, timedelta
from typing import Any

from qingzhai.contact.dialog.intents import Intent, Recognizer
from qingzhai.contact.dialog.offers import (
    Account,
    Plan,
    cn_date,
    discount_plan,
    full_plan,
    honorific,
    instalment_plan,
    variables,
    yuan,
)
from qingzhai.contact.dialog.script import PRE_VERIFICATION, RESUME, Node, Script
from qingzhai.contact.dialog.transcript import Handover, Outcome, Transcript, Turn

# intents that leave the current path wherever they are heard
PRIORITY = ("wrong_number", "third_party", "ask_human", "dispute", "already_paid")
Screen = Callable[[str], list[Any]]
Classify = Callable[[str], Any]


def bot_screener(text: str) -> list[Any]:
    from qingzhai.compliance.monitor import screen

    return screen(text, speaker="bot")


def default_classify(text: str) -> Any:
    from qingzhai.contact.emotion import classify

    return classify(text)


def _violation_dict(v: Any) -> dict[str, Any]:
    if hasattr(v, "as_dict"):
        return dict(v.as_dict())
    if is_dataclass(v) and not isinstance(v, type):
        return asdict(v)
    return {"category": str(v)}


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


class DialogEngine:
    def __init__(
        self,
        script: Script,
        account: Account,
        *,
        today: date,
        classifier: Classify | None = None,
        screener: Screen | None = None,
        recognizer: Recognizer | None = None,
    ) -> None:
        self.script = script
        self.account = account
        self.today = today
        self.classify: Classify = classifier or default_classify
        self.screen: Screen = screener or bot_screener
        self.recognizer = recognizer or Recognizer()
        self.branch = "standard"
        self.verified = False
        self.node: Node = script.nodes[script.start]
        self.resume: Node = self.node
        self.visits: Counter[str] = Counter()
        self.entered: set[str] = set()
        self.silences = 0
        self.plan: Plan | None = None
        self.pending_amount: int | None = None
        self.promise: tuple[int, date] | None = None
        self.last_intent: Intent | None = None
        self.emotions: list[str] = []
        self.reason = ""
        self.done = False
        self.transcript = Transcript(script.id, script.version, script.digest, today, honorific(account))

    # ------------------------------------------------------------------------------------ public

    def start(self) -> Turn:
        """The bot's opening turn."""
        if self.transcript.turns:
            raise RuntimeError("call already started")
        return self._enter(self.node.id)

    def hear(self, text: str, *, audio_sha256: str | None = None) -> Turn | None:
        """Take the debtor's utterance; return the bot's next turn (None once the call has ended)."""
        if self.done:
            return None
        intent = self.recognizer.recognize(text, today=self.today)
        emotion: dict[str, Any] | None = None
        label = None
        if intent.name != "silence":
            emo = self.classify(text)
            label = emo.label
            self.emotions.append(label)
            emotion = {"label": label, "score": round(float(emo.score), 4), "cues": list(emo.cues)}
        self.last_intent = intent
        self._record("debtor", text, self.node, emotion=emotion, intent=intent.as_dict(), audio=audio_sha256)
        target = self._decide(intent, label)
        if len(self.transcript.bot_turns) >= int(self.script.setting("max_turns", 20)):
            target, self.reason = str(self.script.settings["timeout_node"]), "max_turns"
        return self._enter(target)

    @property
    def outcome(self) -> Outcome | None:
        return self.transcript.outcome

    # ------------------------------------------------------------------------------------ deciding

    def _decide(self, intent: Intent, label: str | None) -> str:
        name = intent.name
        if name == "silence":
            self.silences += 1
            if self.silences >= int(self.script.setting("max_silence", 2)):
                self.reason = "silence"
                return str(self.script.settings["silence_end"])
        else:
            self.silences = 0
        if name in PRIORITY:
            self.reason = name
            return self.node.on.get(name) or self.script.global_on.get(name) or self._default()
        jump = self._switch_branch(self.script.intent_branches.get(name), explicit=True)
        if jump is None and label is not None:
            jump = self._switch_branch(self.script.emotion_branches.get(label), explicit=False)
        if jump is not None:
            return jump
        return self._transition(self._derive(intent))

    def _switch_branch(self, branch: str | None, *, explicit: bool) -> str | None:
        """Change branch; the node to jump to (the branch's entry, first time only) or None."""
        if branch is None:
            return None
        if branch == "soothing" and self.branch != "standard":
            return None  # soothing softens the standard path only
        spec = self.script.branches.get(branch, {})
        if branch == self.branch:
            again = spec.get("again")
            if again and spec.get("entry") in self.entered and not explicit:
                self.reason = f"{branch}_again"
                return str(again)
            if not explicit or spec.get("entry") in self.entered:
                return None
        self.branch = branch
        entry = spec.get("entry")
        if entry and entry not in self.entered:
            self.reason = branch
            return str(entry)
        return None

    def _derive(self, intent: Intent) -> str:
        """Intents the engine derives from the account: identity checks and promise checks."""
        name = intent.name
        if self.node.action == "verify":
            if name == "id_digits":
                ok = not self.account.id_last4 or intent.slots.get("digits") == self.account.id_last4.upper()
                self.verified = self.verified or ok
                return "identity_ok" if ok else "identity_fail"
            if name in ("identity_confirmed", "affirm") and not self.account.id_last4:
                self.verified = True
                return "identity_ok"
        if name == "promise":
            return self._check_promise(intent)
        return name

    def _check_promise(self, intent: Intent) -> str:
        plan = self.plan or full_plan(self.account)
        amount = intent.slots.get("amount_fen")
        if amount is not None:
            self.pending_amount = min(int(amount), plan.total_fen)
        when = intent.slots.get("date")
        if when is None:
            return "promise_no_date"
        if when < self.today or when > self.today + timedelta(days=self.account.max_promise_days):
            return "promise_late"
        amount_now = self.pending_amount if self.pending_amount is not None else plan.due_now_fen
        if amount_now < plan.due_now_fen:
            self.pending_amount = None
            return "promise_low"
        self.promise = (amount_now, when)
        return "promise_ok"

    def _default(self) -> str:
        return self.node.default or self.node.id

    def _transition(self, name: str) -> str:
        node = self.node
        if name in node.on:
            return node.on[name]
        if node.interrupt and name in self.resume.on:
            return self.resume.on[name]
        if name in self.script.global_on:
            return self.script.global_on[name]
        if name.startswith("promise_") and "promise" in node.on:
            return node.on["promise"]
        return self._default()

    # ------------------------------------------------------------------------------------ speaking

    def _enter(self, target: str, blocked: list[dict[str, Any]] | None = None) -> Turn:
        for _ in range(len(self.script.nodes) + 2):
            if target == RESUME:
                target = self.resume.id
            node = self.script.nodes[target]
            if not self.verified and node.phase not in PRE_VERIFICATION:
                node = self.script.nodes[str(self.script.settings["verify_node"])]
            if node.max_visits and self.visits[node.id] >= node.max_visits and node.exhausted:
                target = node.exhausted
                continue
            redirect = self._act(node)
            if redirect is None:
                break
            target = redirect
        else:  # a cycle of redirects: hand over
            node = self.script.nodes[str(self.script.settings["handover_node"])]
        self.visits[node.id] += 1
        if not node.interrupt:
            self.resume = node
        entry_of = {str(s.get("entry")): b for b, s in self.script.branches.items() if s.get("entry")}
        if node.id in entry_of:
            self.entered.add(node.id)
        self.node = node
        return self._say(node, list(blocked or []))

    def _act(self, node: Node) -> str | None:
        """Set the plan a node offers; the node to go to instead when the authority does not allow it."""
        gentle = bool(self.script.branches.get(self.branch, {}).get("gentle_plan"))
        slots = self.last_intent.slots if self.last_intent else {}
        if node.action == "offer_full":
            self.plan = full_plan(self.account)
        elif node.action == "offer_instalment":
            if self.account.authority.max_instalments < 2:
                return node.otherwise
            wanted = slots.get("count") if (slots.get("count") or 0) >= 2 else None
            if wanted is None and self.plan is not None and self.plan.kind == "instalment":
                wanted = self.plan.instalments
            self.plan = instalment_plan(self.account, wanted, gentle=gentle)
        elif node.action == "offer_discount":
            plan = discount_plan(self.account, slots.get("discount_pct"))
            if plan is None:
                return node.otherwise
            self.plan = plan
        return None

    def _render(self, template: str) -> str:
        values = variables(self.account, self.plan)
        if self.promise is not None:
            values["promise_amount"] = yuan(self.promise[0])
            values["promise_date"] = cn_date(self.promise[1])
        return template.format_map(_Missing(values))

    def _screened(self, template: str) -> tuple[str, list[dict[str, Any]] | None]:
        """The rendered line, and None when it may be said, else why it may not."""
        try:
            text = self._render(template)
        except KeyError as exc:
            return template, [{"category": "missing_variable", "rule": f"variable.{exc.args[0]}"}]
        found = self.screen(text)
        return text, ([_violation_dict(v) for v in found] if found else None)

    def _say(self, node: Node, blocked: list[dict[str, Any]]) -> Turn:
        text, problems = self._screened(node.line(self.branch).zh)
        compliance = "fallback" if blocked else "pass"
        if problems is not None:
            blocked.append({"node": node.id, "text": text, "violations": problems})
            said = None
            if node.fallback is not None:
                fb_text, fb_problems = self._screened(node.fallback.zh)
                if fb_problems is None:
                    said, compliance = fb_text, "fallback"
                else:
                    blocked.append({"node": node.id, "text": fb_text, "violations": fb_problems})
            if said is None:
                handover = self.script.nodes[str(self.script.settings["handover_node"])]
                self.reason = "compliance_block"
                if node.id != handover.id:
                    turn = self._enter(handover.id, blocked)
                    if turn.compliance != "withheld":
                        turn.compliance = "handover"
                    return turn
                turn = self._record("bot", "", node, compliance="withheld", blocked=blocked)
                self._finish(node)
                return turn
            text = said
        turn = self._record("bot", text, node, compliance=compliance, blocked=blocked)
        if node.end is not None:
            self._finish(node)
        return turn

    def _record(
        self,
        speaker: str,
        text: str,
        node: Node,
        *,
        emotion: dict[str, Any] | None = None,
        intent: dict[str, Any] | None = None,
        compliance: str | None = None,
        blocked: list[dict[str, Any]] | None = None,
        audio: str | None = None,
    ) -> Turn:
        pace = None
        if speaker == "bot":
            pace = float(self.script.branches.get(self.branch, {}).get("pace", 1.0))
        turn = Turn(
            index=len(self.transcript.turns),
            speaker=speaker,
            text=text,
            node=node.id,
            branch=self.branch,
            phase=node.phase,
            emotion=emotion,
            intent=intent,
            compliance=compliance,
            blocked=blocked or [],
            pace=pace,
            audio_sha256=audio,
        )
        self.transcript.turns.append(turn)
        return turn

    # ------------------------------------------------------------------------------------ ending

    def _finish(self, node: Node) -> None:
        self.done = True
        kind = node.end or "handover"
        promise = self.promise if kind == "promise" else None
        reason = self.reason or node.id
        self.transcript.outcome = Outcome(
            kind=kind,
            node=node.id,
            reason=reason,
            promise_amount_fen=promise[0] if promise else None,
            promise_date=promise[1] if promise else None,
            plan=self.plan if kind in ("promise", "handover", "hardship") else None,
            mark_number=node.mark_number,
        )
        if kind == "handover":
            self.transcript.handover = self._handover(reason)

    def _handover(self, reason: str) -> Handover:
        debtor_turns = [t for t in self.transcript.turns if t.speaker == "debtor"]
        last = debtor_turns[-1] if debtor_turns else None
        plan = self.plan.as_dict() if self.plan and self.verified else None
        context = {
            "debtor": honorific(self.account),
            "verified": self.verified,
            "branch": self.branch,
            "emotions": list(self.emotions),
            "last_intent": self.last_intent.name if self.last_intent else None,
            "last_debtor_text": last.text if last else None,
            "plan_offered": plan,
            "nodes": self.transcript.nodes,
            "turns": len(self.transcript.turns),
            "blocked_lines": self.transcript.blocked,
        }
        mood = self.emotions[-1] if self.emotions else "calm"
        offer_zh = offer_en = ""
        if plan is not None and self.plan is not None:
            offer_zh = f"已提供方案：{self.plan.kind}，本次应还{yuan(self.plan.due_now_fen)}；"
            due = self.plan.due_now_fen
            offer_en = f"offered {self.plan.kind}, CNY {due // 100:,}.{due % 100:02d} due now; "
        verified_zh = "已核实本人" if self.verified else "未核实身份"
        verified_en = "right party verified" if self.verified else "not verified"
        summary_zh = f"{honorific(self.account)}：{verified_zh}；分支 {self.branch}；情绪 {mood}；{offer_zh}原因 {reason}。"
        summary_en = f"{verified_en}; branch {self.branch}; emotion {mood}; {offer_en}reason {reason}."
        return Handover(reason, summary_zh, summary_en, context)
