"""Debtor simulator: seeded personas that answer the bot in Chinese, for testing scripts end to end.

    t = simulate("anxious", load_script("standard_v1"), seed=7, today=date(2026, 5, 13))
    t.outcome.kind, t.branches     # 'promise', ['standard', 'soothing']

A persona reads which node the bot is in (what it was asked) and answers from its own varied lines; the
same seed gives the same call.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, ClassVar

from qingzhai.contact.dialog.engine import Classify, DialogEngine, Screen
from qingzhai.contact.dialog.intents import Recognizer
from qingzhai.contact.dialog.offers import Account, Authority, Plan
from qingzhai.contact.dialog.parsing import month_end
from qingzhai.contact.dialog.script import Script
from qingzhai.contact.dialog.transcript import Transcript

SURNAMES = ("张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭")
CREDITORS = ("华信消费金融", "安和小额贷款", "中原银行信用卡中心", "惠民分期", "长江商业银行")
CN_DIGITS = "零一二三四五六七八九"


def sample_account(rng: random.Random) -> Account:
    """A plausible account: balance 1,000-50,000 yuan in hundreds, a standard authority."""
    balance = rng.randrange(10, 501) * 10000
    min_first = max(20000, (balance // 10) // 10000 * 10000)
    return Account(
        surname=rng.choice(SURNAMES),
        gender=rng.choice("mf"),
        balance_fen=balance,
        creditor=rng.choice(CREDITORS),
        authority=Authority(
            max_discount_pct=rng.choice((0, 10, 15, 20, 30)),
            max_instalments=rng.choice((3, 6, 12)),
            min_first_instalment_fen=min_first,
        ),
        id_last4=f"{rng.randrange(10000):04d}",
    )


def say_yuan(fen: int, rng: random.Random) -> str:
    """An amount as a debtor says it: 3000块, 三千, 3000元."""
    whole = fen // 100
    if whole % 1000 == 0 and whole < 100000 and rng.random() < 0.5:
        thousands = whole // 1000
        if thousands < 10:
            return ("两" if thousands == 2 else CN_DIGITS[thousands]) + "千"
        if thousands % 10 == 0 and thousands < 100:
            return ("两" if thousands == 20 else CN_DIGITS[thousands // 10]) + "万"
    return f"{whole}{rng.choice(('块', '元', '块钱'))}"


class Persona:
    """A debtor. ``reply`` answers the bot's node; subclasses fill in the lines."""

    name: ClassVar[str] = ""
    # what a call with this persona should end in (for tests and reports)
    outcomes: ClassVar[tuple[str, ...]] = ()
    branch: ClassVar[str] = "standard"

    def __init__(self, rng: random.Random, account: Account, today: date) -> None:
        self.rng = rng
        self.account = account
        self.today = today
        self.silent_once = rng.random() < 0.15
        self.asked_who = False

    # -- shared pieces
    def pick(self, *lines: str) -> str:
        return self.rng.choice(lines)

    @property
    def he(self) -> str:
        return "他" if self.account.gender == "m" else "她"

    def digits(self) -> str:
        d = self.account.id_last4
        spoken = "".join(CN_DIGITS[int(c)] if c.isdigit() else c for c in d)
        return self.pick(d, f"后四位是{d}", f"{d}。", f"嗯，{spoken}", f"身份证后四位{d}")

    def a_day(self) -> str:
        d = self.today + timedelta(days=self.rng.randint(1, 20))
        day = f"{d.day}号" if d.month == self.today.month else f"下个月{d.day}号"
        options = ["下周五", "明天", "后天", "三天后", day]
        if (month_end(self.today) - self.today).days <= self.account.max_promise_days:
            options.append("月底前")
        return self.pick(*options)

    def reply(self, node: str, plan: Plan | None) -> str:
        if self.silent_once and self.rng.random() < 0.2:
            self.silent_once = False
            return self.pick("", "……", "（沉默）")
        if node == "silence_prompt":
            return self.pick("在的，你说。", "在，刚才信号不好。", "嗯，在听。")
        if node.startswith("greeting"):
            return self.greeting(node)
        if node.startswith("verify"):
            return self.digits()
        if node.startswith("reminder"):
            return self.reminder(plan)
        if node in ("offer_instalment", "hardship"):
            return self.instalment(plan)
        if node.startswith("offer_discount") or node == "discount_max":
            return self.discount(plan)
        if node.startswith("ask_date") or node in ("promise_low", "promise_late"):
            return self.date_answer(node, plan)
        if node == "offer_human":
            return self.human()
        return self.pick("嗯。", "你说吧。", "好的。")

    def greeting(self, node: str) -> str:
        if node == "greeting" and not self.asked_who and self.rng.random() < 0.2:
            self.asked_who = True
            return self.pick("你是哪里？", "哪位？有什么事？", "你是谁啊？")
        return self.pick("是我，你说。", "对，我就是。", "嗯，是我，什么事？", "是的，是我本人。")

    def reminder(self, plan: Plan | None) -> str:
        return self.pick("嗯。", "我知道了。")

    def instalment(self, plan: Plan | None) -> str:
        return self.pick("行，这样可以。", "好的，就这么办。")

    def discount(self, plan: Plan | None) -> str:
        return self.pick("可以，谢谢。", "好，就按这个来。")

    def date_answer(self, node: str, plan: Plan | None) -> str:
        if node == "promise_low" and plan is not None:
            return f"好吧，那就{say_yuan(plan.due_now_fen, self.rng)}，{self.a_day()}。"
        return self.pick(f"{self.a_day()}吧。", f"{self.a_day()}可以吗？", f"我{self.a_day()}还。")

    def human(self) -> str:
        return self.pick("不用了，你继续说。", "不用，就你说吧。")


class Cooperative(Persona):
    name = "cooperative"
    outcomes = ("promise",)

    def reminder(self, plan: Plan | None) -> str:
        r = self.rng.random()
        if r < 0.4:
            return self.pick(
                f"可以，我{self.a_day()}还清。",
                f"行，{self.a_day()}一次性还上。",
                f"没问题，{self.a_day()}转给你们。",
            )
        if r < 0.7:
            return self.pick(
                "一次性有点困难，能分期吗？",
                f"能不能分{self.rng.choice('三六')}期？",
                "手头有点紧，分几个月还行吗？",
            )
        if r < 0.85:
            return self.pick("好的，可以。", "行，我尽快还。", "没问题。")
        low = say_yuan(max(10000, (plan.due_now_fen if plan else 100000) // 5 // 10000 * 10000), self.rng)
        return f"我先还{low}行吗？{self.a_day()}。"

    def instalment(self, plan: Plan | None) -> str:
        return self.pick("行，这样可以。", "好的，就这么办。", "可以，首期我尽快还。", "嗯，这个能接受。")


class Anxious(Persona):
    name = "anxious"
    outcomes = ("promise",)
    branch = "soothing"

    def greeting(self, node: str) -> str:
        return self.pick(
            "是……是我，我有点害怕，是出什么事了吗？",
            "是我，我好担心，是不是我的贷款出问题了？",
            "对，是我……你们打来我就紧张，怎么办啊？",
        )

    def digits(self) -> str:
        return self.pick(
            f"我有点紧张……后四位是{self.account.id_last4}", f"{self.account.id_last4}，这样可以吗？我好担心。"
        )

    def reminder(self, plan: Plan | None) -> str:
        return self.pick(
            "我很担心，这会不会影响我的征信啊？我现在一下子拿不出这么多，能不能分期？",
            "怎么办啊，我最近手头特别紧，能不能分几个月还？我真的不是故意的。",
            "天哪，已经逾期了吗？我好害怕会不会被起诉，能不能分期慢慢还？",
        )

    def instalment(self, plan: Plan | None) -> str:
        return self.pick(
            "那……首期这么多我应该可以，好吧。",
            "好的好的，这样我能承受，谢谢你。",
            "嗯，这样我心里踏实一点，可以。",
        )

    def date_answer(self, node: str, plan: Plan | None) -> str:
        if node == "promise_low" and plan is not None:
            return f"好的好的，那就{say_yuan(plan.due_now_fen, self.rng)}，{self.a_day()}。"
        return self.pick(
            f"我{self.a_day()}能还上，这样行吗？我怕来不及……",
            f"{self.a_day()}可以吗？我一定还。",
            f"{self.a_day()}吧，我尽量早点。",
        )


class Angry(Persona):
    name = "angry"
    outcomes = ("handover", "refused", "promise")
    branch = "deescalation"

    def __init__(self, rng: random.Random, account: Account, today: date) -> None:
        super().__init__(rng, account, today)
        self.silent_once = False
        self.takes_human = rng.random() < 0.7
        self.gives_in = rng.random() < 0.5

    def greeting(self, node: str) -> str:
        if not self.asked_who:
            self.asked_who = True
            return self.pick(
                "又是你们！烦不烦啊，天天打电话！", "你们有完没完？我说了别再打了！", "打什么打，烦死了！"
            )
        return self.pick("是我，快点说。", "是我，有话快说。")

    def human(self) -> str:
        if self.takes_human:
            return self.pick("转人工！让你们的人跟我说。", "行，找个真人来。", "要人工，别跟机器说。")
        return self.pick("不用了，你说吧。", "算了，不用转，有话快说。")

    def digits(self) -> str:
        return self.pick(f"{self.account.id_last4}，行了吧。", f"{self.account.id_last4}，快点。")

    def reminder(self, plan: Plan | None) -> str:
        if self.gives_in:
            return self.pick("行吧行吧，一次性拿不出来，分期吧。", "一次性没有，能分期吗？")
        return self.pick(
            "没钱！别再打了，烦死了！",
            "不还！你们天天骚扰，我要投诉你们这帮人！",
            "你们烦不烦，说了没钱就是没钱！",
        )


class Hardship(Persona):
    name = "hardship"
    outcomes = ("hardship",)
    branch = "hardship"

    def greeting(self, node: str) -> str:
        return self.pick("是我。", "嗯，是我，什么事？", "是我本人。")

    def reminder(self, plan: Plan | None) -> str:
        return self.pick(
            "我最近失业了，家里还有老人要看病，真的没钱。",
            "我生病住院刚出来，一点收入都没有，实在还不上。",
            "公司倒闭了，工资都发不出来，我现在真的拿不出钱。",
        )

    def instalment(self, plan: Plan | None) -> str:
        return self.pick(
            "首期我现在也拿不出来，真的一分钱都没有。",
            "对不起，现在真的一点钱都没有，等我找到工作再说吧。",
            "我连吃饭都成问题，哪还有钱还。",
        )


class Disputing(Persona):
    name = "disputing"
    outcomes = ("dispute",)

    def reminder(self, plan: Plan | None) -> str:
        return self.pick(
            f"这笔钱不是我借的，我从来没在{self.account.creditor}借过钱。",
            "金额不对吧？我记得本金没这么多，你们多算了。",
            "我对这笔账有异议，利息不合理，我不认。",
            "我没借过你们的钱，是不是身份被冒用了？",
        )


class WrongNumber(Persona):
    name = "wrong_number"
    outcomes = ("wrong_number",)

    def greeting(self, node: str) -> str:
        return self.pick(
            "你打错了吧，我不认识这个人。",
            "没有这个人，我这号码是新办的。",
            f"你找错人了，我不姓{self.account.surname}。",
            "打错了，这里没有叫这个名字的。",
        )


class ThirdParty(Persona):
    name = "third_party"
    outcomes = ("third_party",)

    def greeting(self, node: str) -> str:
        he = self.he
        return self.pick(
            f"我是{he}爱人，{he}不在家，你找{he}什么事？",
            f"{he}出去了，{he}手机在我这儿，有什么事我转告吧。",
            f"我是{he}同事，{he}在开会，你是哪位？",
            f"我是{he}妈妈，{he}在上班呢。",
        )


PERSONAS: dict[str, type[Persona]] = {
    p.name: p for p in (Cooperative, Anxious, Angry, Hardship, Disputing, WrongNumber, ThirdParty)
}


def simulate(
    persona: str,
    script: Script,
    *,
    seed: int,
    today: date,
    account: Account | None = None,
    classifier: Classify | None = None,
    screener: Screen | None = None,
    recognizer: Recognizer | None = None,
    max_turns: int = 40,
) -> Transcript:
    """Run one simulated call to its end and return the transcript."""
    if persona not in PERSONAS:
        raise KeyError(persona)
    rng = random.Random(f"{persona}:{seed}")
    acc = account or sample_account(rng)
    debtor = PERSONAS[persona](rng, acc, today)
    engine = DialogEngine(
        script, acc, today=today, classifier=classifier, screener=screener, recognizer=recognizer
    )
    turn = engine.start()
    for _ in range(max_turns):
        if engine.done:
            break
        turn = engine.hear(debtor.reply(turn.node, engine.plan)) or turn
    return engine.transcript


def persona_info() -> list[dict[str, Any]]:
    return [{"persona": n, "outcomes": list(p.outcomes), "branch": p.branch} for n, p in PERSONAS.items()]
