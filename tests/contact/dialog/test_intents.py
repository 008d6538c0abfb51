"""Intent rules, slots, and the pluggable model."""

from datetime import date

import pytest

from qingzhai.contact.dialog.intents import INTENTS, IntentModel, LexiconError, Recognizer, load_lexicon

from .conftest import TODAY

rec = Recognizer()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("是我，你说。", "identity_confirmed"),
        ("好的，可以。", "affirm"),
        ("不行，太多了", "deny"),
        ("你打错了吧，我不认识这个人。", "wrong_number"),
        ("我不是他，你找错人了", "wrong_number"),
        ("我是他老婆，他不在家", "third_party"),
        ("我是她妈妈，她在上班呢。", "third_party"),
        ("这笔钱不是我借的", "dispute"),
        ("金额不对吧，你们多算了", "dispute"),
        ("我已经还了，上周转的账", "already_paid"),
        ("我失业了，真的没钱", "hardship"),
        ("能不能分期？", "instalment"),
        ("分六个月行吗", "instalment"),
        ("能不能打个八折", "discount"),
        ("能少还点吗", "discount"),
        ("转人工", "ask_human"),
        ("你们这帮吸血鬼", "abuse"),
        ("", "silence"),
        ("……", "silence"),
        ("（沉默）", "silence"),
        ("你是哪里？", "ask_who"),
        ("1234", "id_digits"),
        ("嗯，一二三四", "id_digits"),
        ("那边天气真不错", "unknown"),
    ],
)
def test_rules(text, name):
    assert rec.recognize(text, today=TODAY).name == name


def test_a_not_a_questions_are_not_refusals():
    assert rec.recognize("是我，我好担心，是不是我的贷款出问题了？", today=TODAY).name == "identity_confirmed"
    assert rec.recognize("能不能少一点", today=TODAY).name == "discount"


def test_promise_slots_exact():
    got = rec.recognize("我下周五先还一千五", today=TODAY)
    assert got.name == "promise"
    assert got.slots == {"amount_fen": 150000, "date": date(2026, 5, 22)}
    assert got.as_dict()["slots"] == {"amount_fen": 150000, "date": "2026-05-22"}
    # an answer that is only a date or only an amount is a promise
    assert rec.recognize("15号吧", today=TODAY).slots == {"date": date(2026, 5, 15)}
    assert rec.recognize("15号吧", today=TODAY).name == "promise"
    assert rec.recognize("好，3000块", today=TODAY).slots == {"amount_fen": 300000}
    assert rec.recognize("还不上", today=TODAY).name == "deny"


def test_slots_for_offers():
    assert rec.recognize("能不能分六期", today=TODAY).slots == {"count": 6}
    assert rec.recognize("能打个八五折吗", today=TODAY).slots == {"discount_pct": 15}
    assert rec.recognize("后四位是123X", today=TODAY).slots == {"digits": "123X"}


class _Model:
    def __init__(self, answer):
        self.answer = answer
        self.calls = 0

    def predict(self, text):
        self.calls += 1
        return self.answer


def test_model_fills_what_rules_miss():
    model = _Model(("dispute", 0.91))
    assert isinstance(model, IntentModel)
    r = Recognizer(model=model)
    got = r.recognize("这账我得好好看看", today=TODAY)
    assert (got.name, got.source, got.confidence) == ("dispute", "model", 0.91)
    assert r.recognize("转人工", today=TODAY).name == "ask_human"  # rules found it: model not asked
    assert model.calls == 1


def test_model_below_threshold_or_unknown_label_is_ignored():
    assert Recognizer(model=_Model(("dispute", 0.5))).recognize("哈哈哈", today=TODAY).name == "unknown"
    assert Recognizer(model=_Model(("nonsense", 0.99))).recognize("哈哈哈", today=TODAY).name == "unknown"
    preferred = Recognizer(model=_Model(("hardship", 0.8)), prefer_model=True)
    assert preferred.recognize("好的", today=TODAY).name == "hardship"
    assert "hardship" in INTENTS


def test_lexicon_errors_are_bilingual(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("intents:\n  flirt:\n    cues: [你好]\n", encoding="utf-8")
    with pytest.raises(LexiconError) as exc:
        load_lexicon(bad)
    assert (exc.value.code, exc.value.field) == ("lexicon_unknown_intent", "intents.flirt")
    assert "未知意图" in exc.value.zh and "unknown intent" in exc.value.en
    bad.write_text("intents:\n  affirm:\n    cues: []\n", encoding="utf-8")
    with pytest.raises(LexiconError) as exc:
        load_lexicon(bad)
    assert exc.value.code == "lexicon_no_cues"
