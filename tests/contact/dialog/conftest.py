from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from qingzhai.contact.dialog import Account, Authority, DialogEngine, load_script

TODAY = date(2026, 5, 13)  # a Wednesday

_CUES = (
    ("angry", ("烦", "有完没完", "骚扰", "别再打", "投诉", "打什么打", "滚")),
    ("anxious", ("担心", "害怕", "紧张", "怎么办", "慌")),
    ("sad", ("唉", "失业", "住院", "难过", "倒闭", "吃饭都成问题", "一分钱")),
    ("cooperative", ("好的", "可以", "行", "没问题")),
)


@dataclass(frozen=True)
class StubEmotion:
    label: str
    score: float
    scores: dict
    cues: tuple


def stub_classify(text: str) -> StubEmotion:
    """A keyword stand-in for the emotion classifier, so engine tests do not depend on its lexicons."""
    for label, words in _CUES:
        hits = tuple(w for w in words if w in text)
        if hits:
            return StubEmotion(label, 0.9, {label: 0.9}, hits)
    return StubEmotion("calm", 0.6, {"calm": 0.6}, ())


def no_violations(text: str) -> list:
    return []


@pytest.fixture
def account() -> Account:
    return Account(
        surname="张",
        gender="m",
        balance_fen=600000,
        creditor="华信消费金融",
        authority=Authority(max_discount_pct=20, max_instalments=6, min_first_instalment_fen=50000),
        id_last4="1234",
    )


@pytest.fixture
def v1():
    return load_script("standard_v1")


@pytest.fixture
def make_engine(v1, account):
    def make(script=None, acct=None, **kwargs):
        kwargs.setdefault("classifier", stub_classify)
        return DialogEngine(script or v1, acct or account, today=TODAY, **kwargs)

    return make


def talk(engine: DialogEngine, *lines: str) -> list:
    """Start the call and feed the debtor's lines; the bot turns said."""
    said = [engine.start()]
    for line in lines:
        turn = engine.hear(line)
        if turn is None:
            break
        said.append(turn)
    return said
