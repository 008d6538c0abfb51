"""Rules: negation scope, degree words, contrast, punctuation and repetition, on the shipped lexicon."""

import pytest

from qingzhai.contact.emotion import classify, default_classifier
from qingzhai.contact.emotion.rules import normalise


def raw(text):
    scored = default_classifier()._rules.score(text)
    return {k: round(v, 4) for k, v in scored.raw.items() if v}, scored.cues


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我不生气", ({"calm": 1.2}, ("¬生气",))),  # 生气 1.5 × negation factor 0.8, to calm
        ("不担心", ({"calm": 1.2}, ("¬担心",))),
        ("不是很担心", ({"calm": 1.2}, ("¬担心",))),  # degree words do not touch a negated phrase
        ("不同意", ({"angry": 1.44}, ("¬同意",))),  # 同意 1.8 × 0.8, cooperative turns angry
    ],
)
def test_negation_flips_the_phrase_it_governs(text, expected):
    assert raw(text) == expected


def test_double_negation_cancels_and_refusals_turn_cooperative():
    assert raw("我不是不想还") == ({"cooperative": 0.96}, ("¬不想还",))
    assert raw("我没有不还的意思") == ({"cooperative": 1.44}, ("¬不还",))
    assert classify("我不是不想还").label == "cooperative"


def test_negation_scope_ends_at_the_window_and_at_the_clause():
    assert raw("我不觉得自己会担心") == ({"anxious": 1.5}, ("担心",))  # five characters between: out of scope
    assert raw("我不，我担心") == ({"anxious": 1.5}, ("担心",))  # another clause


def test_orders_keep_anger_and_feared_consequences_stay_anxious():
    assert raw("别烦我") == ({"angry": 2.0}, ("别烦我",))
    assert raw("别跟我废话")[0] == {"angry": 1.5}  # 别 is an order, not a negation of 废话
    assert raw("才不会上征信吧") == ({"anxious": 1.2}, ("¬上征信",))


def test_a_not_a_questions_are_not_negations():
    assert raw("是不是有病") == raw("有病") == ({"angry": 1.5}, ("有病",))


def test_intensifiers_and_diminishers_scale_the_next_phrase():
    assert raw("我担心")[0] == {"anxious": 1.5}
    assert raw("我很担心")[0] == {"anxious": 2.25}  # × 1.5
    assert raw("非常担心")[0] == {"anxious": 2.7}  # × 1.8
    assert raw("我有点担心")[0] == {"anxious": 0.9}  # × 0.6


def test_phrases_after_a_contrast_weigh_more():
    assert raw("我有钱，但是我担心")[0] == {"anxious": 2.25}  # × contrast factor 1.5


def test_exclamations_and_question_bursts_add_arousal_to_anger():
    assert raw("滚！") == ({"angry": 2.4}, ("滚", "！"))
    assert raw("滚！！") == ({"angry": 2.8}, ("滚", "！！"))
    assert raw("滚！！！！") == ({"angry": 3.2}, ("滚", "！！！"))  # capped at three
    assert raw("有完没完？？？") == ({"angry": 3.2}, ("有完没完", "？？？"))  # 2.0 + 2 × 0.6
    assert raw("有完没完???") == raw("有完没完？？？")  # half-width punctuation is normalised


def test_exclamations_go_to_anxiety_when_it_leads():
    assert raw("我好害怕！")[0] == {"anxious": 2.35}  # 好 1.3 × 害怕 1.5 + ！ 0.4


def test_a_single_question_leans_calm():
    assert raw("请问多少钱？") == ({"calm": 2.3}, ("请问", "多少钱"))  # 1.2 + 0.8 + question 0.3


def test_repetition_adds_arousal():
    assert raw("打打打") == ({"angry": 0.6}, ("repeat",))
    assert raw("别打了别打了别打了") == ({"angry": 6.0}, ("别打了", "别打了", "别打了", "repeat"))
    assert "repeat" not in raw("嗯嗯嗯")[1]  # back-channel sounds are exempt


def test_normalise():
    assert normalise("  好的!  我明天还?  icu ") == "好的！ 我明天还？ ICU"
