"""The turn engine: paths, branches, offers within authority, promise capture, screening of bot lines."""

import json
from datetime import date

import pytest

from qingzhai.contact.dialog import Account, Authority, OfferError, parse_script
from qingzhai.contact.dialog.offers import honorific, instalment_plan, yuan
from qingzhai.contact.dialog.script import SCRIPTS_DIR

from .conftest import talk


def test_cooperative_full_payment(make_engine):
    e = make_engine()
    said = talk(e, "是我", "1234", "可以，下周五还清")
    assert [t.node for t in said] == ["greeting", "verify", "reminder", "confirm_promise"]
    assert said[0].text == "您好，我是清债服务中心的智能客服。请问您是张先生本人吗？"
    assert said[2].text == (
        "感谢您，张先生。您在华信消费金融的借款目前已逾期，待还金额为人民币6,000.00元。请问您近期能一次性还清吗？"
    )
    assert said[3].text.startswith("好的，跟您确认：您承诺在2026年5月22日前还款人民币6,000.00元。")
    out = e.outcome
    assert (out.kind, out.promise_amount_fen, out.promise_date) == ("promise", 600000, date(2026, 5, 22))
    assert e.done and e.hear("还在吗") is None
    debtor = [t for t in e.transcript.turns if t.speaker == "debtor"]
    assert [t.intent["name"] for t in debtor] == ["identity_confirmed", "id_digits", "promise"]
    assert all(t.compliance == "pass" and not t.blocked for t in e.transcript.bot_turns)


def test_anxious_gets_soothing_branch_and_smaller_first_instalment(make_engine):
    e = make_engine()
    said = talk(e, "是我，我好担心", "1234", "怎么办，能不能分期", "好的", "月底")
    assert said[1].branch == "soothing" and said[1].text.startswith("不着急")
    assert said[1].pace == 0.85
    offer = said[3]
    assert offer.node == "offer_instalment"
    assert "首期只需人民币500.00元，之后每月人民币1,100.00元" in offer.text
    assert e.outcome.promise_amount_fen == 50000 and e.outcome.promise_date == date(2026, 5, 31)
    assert e.transcript.branches == ["standard", "soothing"]


def test_standard_instalments_split_evenly_within_authority(make_engine):
    e = make_engine()
    said = talk(e, "是我", "1234", "能不能分十二期")
    assert "分6期还款，首期人民币1,000.00元，之后每月人民币1,000.00元" in said[-1].text  # capped at 6


def test_angry_is_deescalated_and_offered_a_human(make_engine):
    e = make_engine()
    said = talk(e, "烦死了，别再打了！", "好，转吧")
    assert [t.node for t in said] == ["greeting", "offer_human", "handover"]
    assert said[1].branch == "deescalation"
    assert e.outcome.kind == "handover"
    h = e.transcript.handover
    assert h.context["verified"] is False and h.context["emotions"][0] == "angry"
    assert h.context["plan_offered"] is None  # nothing about the debt for an unverified caller
    assert "未核实身份" in h.summary_zh and "not verified" in h.summary_en


def test_angry_again_after_declining_a_human_ends_politely(make_engine):
    e = make_engine()
    said = talk(e, "有完没完！", "不用了", "是我", "1234", "没钱，你们烦不烦")
    assert [t.node for t in said] == [
        "greeting",
        "offer_human",
        "greeting",
        "verify",
        "reminder",
        "close_angry",
    ]
    assert said[2].text.startswith("打扰您了")  # the de-escalation greeting
    assert e.outcome.kind == "refused" and e.outcome.reason == "deescalation_again"


def test_hardship_path(make_engine):
    e = make_engine()
    said = talk(e, "是我", "1234", "我失业了，真的没钱", "首期也拿不出来")
    assert [t.node for t in said][-2:] == ["hardship", "hardship_record"]
    assert "首期人民币500.00元" in said[-2].text and said[-2].branch == "hardship"
    assert e.outcome.kind == "hardship" and e.outcome.plan.first_fen == 50000


def test_sad_emotion_alone_switches_to_hardship(make_engine):
    e = make_engine()
    said = talk(e, "是我", "1234", "唉，最近日子很难过")
    assert said[-1].node == "hardship" and said[-1].branch == "hardship"


def test_objections_end_the_call(make_engine):
    cases = {
        "这笔钱不是我借的": ("dispute", "dispute"),
        "我已经还了，上周转的账": ("already_paid", "already_paid"),
    }
    for line, (node, kind) in cases.items():
        e = make_engine()
        said = talk(e, "是我", "1234", line)
        assert (said[-1].node, e.outcome.kind) == (node, kind)


def test_wrong_number_apologises_and_marks_the_number(make_engine):
    e = make_engine()
    said = talk(e, "你打错了，我不认识这个人")
    assert said[-1].text.startswith("非常抱歉打扰您了")
    assert e.outcome.kind == "wrong_number" and e.outcome.mark_number is True


def test_third_party_is_told_nothing_about_the_debt(make_engine, account):
    e = make_engine()
    said = talk(e, "我是他老婆，他不在，有什么事我转告", "到底什么事？")
    assert e.outcome.kind == "third_party" and len(said) == 2
    for t in e.transcript.bot_turns:
        for word in ("欠", "逾期", "还款", "人民币", account.creditor):
            assert word not in t.text


def test_nothing_about_the_debt_before_verification(make_engine):
    e = make_engine()
    said = talk(e, "这笔钱不是我借的", "4321", "5678")
    assert [t.node for t in said] == ["greeting", "verify", "verify_retry", "end_unverified"]
    assert e.outcome.kind == "no_result" and not e.verified
    assert not any("人民币" in t.text for t in said)


def test_discount_within_authority(make_engine):
    e = make_engine()
    said = talk(e, "是我", "1234", "能不能打个五折", "还能再少点吗")
    assert "减免20%，只需还款人民币4,800.00元" in said[3].text  # asked for 50 %, authority 20 %
    assert said[4].node == "discount_max" and "20%" in said[4].text


def test_no_discount_authority_skips_the_discount_offer(make_engine, account):
    acct = Account("李", "f", 300000, "长江商业银行", Authority(0, 3, 50000), id_last4="8888")
    e = make_engine(acct=acct)
    said = talk(e, "是我", "8888", "不行", "不行")
    assert [t.node for t in said][-2:] == ["offer_instalment", "close_refused"]
    assert said[0].text.endswith("请问您是李女士本人吗？")


def test_promise_too_low_and_too_late(make_engine):
    e = make_engine()
    said = talk(e, "是我", "1234", "分期吧", "好", "先还两百，明天", "下个月底", "好吧那就一千，15号")
    assert [t.node for t in said][-4:] == ["ask_date", "promise_low", "promise_late", "confirm_promise"]
    assert (e.outcome.promise_amount_fen, e.outcome.promise_date) == (100000, date(2026, 5, 15))


def test_silence_twice_ends_the_call(make_engine):
    e = make_engine()
    said = talk(e, "", "……")
    assert [t.node for t in said] == ["greeting", "silence_prompt", "end_no_result"]
    assert e.outcome.reason == "silence"


def test_silence_then_answer_resumes(make_engine):
    e = make_engine()
    said = talk(e, "是我", "", "嗯，在", "1234")
    assert [t.node for t in said] == ["greeting", "verify", "silence_prompt", "verify", "reminder"]


def test_flagged_line_falls_back_to_a_safe_line(make_engine):
    e = make_engine(screener=lambda text: ["surname"] if "张先生" in text else [])
    first = e.start()
    assert first.compliance == "fallback"
    assert first.text == "您好，我是清债服务中心的智能客服。请问您是这个号码的机主本人吗？"
    assert first.blocked[0]["text"].endswith("张先生本人吗？")
    assert first.blocked[0]["violations"] == [{"category": "surname"}]
    assert e.transcript.violations == 0 and e.transcript.blocked == 1


def test_flagged_line_without_safe_fallback_hands_over(make_engine):
    e = make_engine(screener=lambda text: ["overdue"] if "逾期" in text else [])
    said = talk(e, "是我", "1234")
    assert said[-1].node == "handover" and said[-1].compliance == "handover"
    assert [b["node"] for b in said[-1].blocked] == ["reminder", "reminder"]  # line and fallback
    assert all("逾期" not in t.text for t in e.transcript.bot_turns)
    assert e.outcome.kind == "handover" and e.outcome.reason == "compliance_block"
    assert e.transcript.handover.context["verified"] is True


def test_everything_flagged_says_nothing(make_engine):
    e = make_engine(screener=lambda text: ["all"])
    first = e.start()
    assert first.text == "" and first.compliance == "withheld" and e.done
    assert e.outcome.kind == "handover" and len(first.blocked) == 3  # greeting, its fallback, hand-over line


def test_real_monitor_blocks_an_unlawful_line(make_engine):
    text = (SCRIPTS_DIR / "standard_v1.yaml").read_text(encoding="utf-8")
    bad = text.replace("请问您近期能一次性还清吗？", "不还钱就让法院把你抓起来。", 1)
    e = make_engine(script=parse_script(bad))  # default screener: the compliance monitor
    said = talk(e, "是我", "1234")
    assert said[-1].compliance == "fallback"
    assert said[-1].blocked[0]["violations"][0]["category"] == "false_legal_consequence"
    assert "抓" not in said[-1].text


def test_too_many_turns_hand_over(make_engine):
    e = make_engine()
    talk(e, *(["嗯"] * 30))
    assert e.done and e.outcome.kind in ("handover", "no_result")
    assert len(e.transcript.bot_turns) <= 21


def test_transcript_is_data(make_engine):
    def call():
        e = make_engine()
        talk(e, "是我", "1234", "分期吧", "行", "下周五")
        return e.transcript

    a, b = call(), call()
    body = json.loads(json.dumps(a.as_dict(), ensure_ascii=False))
    assert body["outcome"]["promise_date"] == "2026-05-22" and body["debtor"] == "张先生"
    assert body["turns"][1]["intent"]["name"] == "identity_confirmed"
    assert body["turns"][1]["emotion"] == {"label": "calm", "score": 0.6, "cues": []}
    assert a.digest() == b.digest() and len(a.digest()) == 64
    assert e_start_twice_raises(make_engine)


def e_start_twice_raises(make_engine) -> bool:
    e = make_engine()
    e.start()
    with pytest.raises(RuntimeError):
        e.start()
    return True


def test_amounts_names_and_authority_checks():
    assert yuan(300000) == "人民币3,000.00元" and yuan(123456789) == "人民币1,234,567.89元"
    acct = Account("欧阳", "", 100000, "x", Authority(10, 4, 0))
    assert honorific(acct) == "欧阳先生/女士"
    plan = instalment_plan(acct, 4, gentle=True)
    assert (plan.first_fen, plan.monthly_fen) == (12500, 29167)
    with pytest.raises(OfferError) as exc:
        Authority(max_discount_pct=95)
    assert exc.value.field == "max_discount_pct" and exc.value.zh and exc.value.en
    with pytest.raises(OfferError):
        Account("王", "m", 0, "x", Authority())
