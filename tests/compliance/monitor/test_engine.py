"""Screening engine: exact categories, rules and spans for every category, evasion, negation and lawful mention."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingzhai.compliance.monitor import CATEGORIES, Screener, Violation, screen, screen_lines


def hits(text: str, **kwargs: str) -> list[tuple[str, str, tuple[int, int], str]]:
    out = []
    for v in screen(text, **kwargs):
        assert text[v.span[0] : v.span[1]] == v.matched
        out.append((v.category, v.rule, v.span, v.matched))
    return out


# ------------------------------------------------------------------ one example per category


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我要弄死你", [("threat_violence", "threat_violence.kill", (2, 5), "弄死你")]),
        ("你这个废物", [("insult_abuse", "insult_abuse.name_calling", (3, 5), "废物")]),
        (
            "我们会联系您的家人",
            [("third_party_contact", "third_party_contact.contact_third_party", (3, 9), "联系您的家人")],
        ),
        ("我是法院的执行法官", [("impersonation", "impersonation.authority", (0, 4), "我是法院")]),
        (
            "不还就让法院把你抓起来",
            [("false_legal_consequence", "false_legal_consequence.arrest_jail", (4, 11), "法院把你抓起来")],
        ),
        (
            "你需要额外支付500元上门费",
            [("excessive_fee", "excessive_fee.fee_demand", (3, 14), "额外支付500元上门费")],
        ),
        ("你去借网贷把钱还上", [("debt_trap", "debt_trap.new_loan", (0, 9), "你去借网贷把钱还上")]),
        (
            "把你的照片发到网上",
            [("privacy_exposure", "privacy_exposure.publish_info", (3, 9), "照片发到网上")],
        ),
    ],
)
def test_each_category(text, expected):
    assert hits(text) == expected


def test_disclosure_and_third_party_together():
    assert hits("我们会告诉你的同事你欠钱不还") == [
        ("third_party_contact", "third_party_contact.contact_third_party", (3, 9), "告诉你的同事"),
        ("disclosure", "disclosure.reveal_debt", (3, 14), "告诉你的同事你欠钱不还"),
    ]


def test_violation_fields():
    (v,) = screen("我要弄死你")
    assert v == Violation("threat_violence", "threat_violence.kill", (2, 5), "high", "弄死你")
    assert v.as_dict() == {
        "category": "threat_violence",
        "rule": "threat_violence.kill",
        "span": [2, 5],
        "severity": "high",
    }
    with pytest.raises(AttributeError):
        v.category = "x"  # type: ignore[misc]


def test_categories_constant():
    assert CATEGORIES == (
        "threat_violence",
        "insult_abuse",
        "third_party_contact",
        "disclosure",
        "impersonation",
        "false_legal_consequence",
        "excessive_fee",
        "debt_trap",
        "privacy_exposure",
    )


def test_severity_low_rule():
    assert [(v.rule, v.severity) for v in screen("给我滚")] == [("insult_abuse.demeaning", "low")]


# ------------------------------------------------------------------ evasions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spaces inside the words
        ("打 死 你", [("threat_violence", "threat_violence.kill", (0, 5), "打 死 你")]),
        # full-width spaces
        ("打\u3000死\u3000你", [("threat_violence", "threat_violence.kill", (0, 5), "打\u3000死\u3000你")]),
        # punctuation inside the words
        (
            "不还就坐.牢",
            [("false_legal_consequence", "false_legal_consequence.arrest_jail", (3, 6), "坐.牢")],
        ),
        (
            "不还就坐·牢",
            [("false_legal_consequence", "false_legal_consequence.arrest_jail", (3, 6), "坐·牢")],
        ),
        # Traditional characters
        (
            "我們會聯繫你的家人",
            [("third_party_contact", "third_party_contact.contact_third_party", (3, 9), "聯繫你的家人")],
        ),
        # variant table (digit for 死)
        ("我们会弄4你", [("threat_violence", "threat_violence.kill", (3, 6), "弄4你")]),
        # homophone found through pinyin (法远 -> 法院)
        ("我是法远的", [("impersonation", "impersonation.authority", (0, 4), "我是法远")]),
        # Latin pinyin mixed with characters
        (
            "今天就lian系你jia人",
            [("third_party_contact", "third_party_contact.contact_third_party", (3, 13), "lian系你jia人")],
        ),
        # listed pinyin initials
        ("不还就zl", [("false_legal_consequence", "false_legal_consequence.arrest_jail", (3, 5), "zl")]),
        # letter-spaced English
        ("k i l l you", [("threat_violence", "threat_violence.kill", (0, 11), "k i l l you")]),
    ],
)
def test_evasions(text, expected):
    assert hits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The zl file is attached.",  # initials only count inside Chinese utterances
        "Please call lxjr today.",
        "你是sbx吗",  # not a whole listed token
        "I have the skill you need.",  # "kill you" is not on a word boundary
        "我们同时会联系您本人",  # 同时 (a dictionary word) is not a homophone of 同事
    ],
)
def test_evasion_guards(text):
    assert hits(text) == []


def test_pinyin_initials_follow_the_language_hint():
    assert hits("lxjr", lang="zh-Hans") == [
        ("third_party_contact", "third_party_contact.contact_third_party", (0, 4), "lxjr")
    ]
    assert hits("lxjr") == []


# ------------------------------------------------------------------ negation and lawful mentions


@pytest.mark.parametrize(
    "text",
    [
        "我们不会联系您的家人",
        "我们不会在朋友圈、微博或任何社交媒体发布您的信息",
        "我们不收取任何额外费用",
        "We will not call your family.",
        "We won't call your boss.",
        "您可以向法院申请调解",
        "如果法院判决后您仍拒不履行，可能被纳入失信被执行人名单",
        "判决生效后拒不履行的，法院可以依法强制执行",
        "有骗子冒充我们公司，请您通过官方客服核实",
        "路上注意安全，祝您生活愉快",
        "滚动还款计划",
        "垃圾短信请忽略",
        "调整你的还款计划",
        "您的贷款已逾期，请尽快还款",
    ],
)
def test_lawful(text):
    assert hits(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # double negative
        (
            "我们不是不会联系你的家人",
            [("third_party_contact", "third_party_contact.contact_third_party", (6, 12), "联系你的家人")],
        ),
        (
            "我们不得不联系你的家人",
            [("third_party_contact", "third_party_contact.contact_third_party", (5, 11), "联系你的家人")],
        ),
        # rhetorical questions
        (
            "你不怕我们去你单位吗",
            [("third_party_contact", "third_party_contact.visit_workplace", (5, 9), "去你单位")],
        ),
        (
            "你以为我们不会去你单位吗？",
            [("third_party_contact", "third_party_contact.visit_workplace", (7, 11), "去你单位")],
        ),
        # the negation belongs to the condition, not to the threat
        (
            "不还钱就联系你家人",
            [("third_party_contact", "third_party_contact.contact_third_party", (4, 9), "联系你家人")],
        ),
        # negation scope ends at the clause
        (
            "我们不会骂你，但是会联系你家人",
            [("third_party_contact", "third_party_contact.contact_third_party", (10, 15), "联系你家人")],
        ),
        # no judgment, no refusal to perform: a false threat of the defaulter list
        (
            "不还钱明天就把你列入失信名单",
            [
                (
                    "false_legal_consequence",
                    "false_legal_consequence.listing_without_judgment",
                    (6, 14),
                    "把你列入失信名单",
                )
            ],
        ),
        # a kind word about the road becomes a threat next to pressure to pay
        (
            "你再拖着，出门最好看着点车",
            [("threat_violence", "threat_violence.veiled", (5, 13), "出门最好看着点车")],
        ),
    ],
)
def test_violations_despite_negation_words(text, expected):
    assert hits(text) == expected


# ------------------------------------------------------------------ English


def test_english():
    assert hits("You will go to jail if you don't pay.") == [
        ("false_legal_consequence", "false_legal_consequence.arrest_jail", (0, 19), "You will go to jail")
    ]
    assert hits("We'll tell your boss you owe us money.") == [
        ("third_party_contact", "third_party_contact.contact_third_party", (6, 20), "tell your boss"),
        ("disclosure", "disclosure.reveal_debt", (6, 28), "tell your boss you owe"),
    ]
    assert hits("YOU ARE A DEADBEAT") == [("insult_abuse", "insult_abuse.name_calling", (10, 18), "DEADBEAT")]


# ------------------------------------------------------------------ output contract


def test_merge_overlapping_hits_of_one_category():
    # term 抓起来, pattern 法院…抓起来 and pattern 把你…抓起来 overlap: one violation, union span
    assert hits("不还就让法院把你抓起来") == [
        ("false_legal_consequence", "false_legal_consequence.arrest_jail", (4, 11), "法院把你抓起来")
    ]


def test_sorted_and_deterministic():
    text = "你这个废物，不还钱就联系你家人，还要交500元上门费"
    first = screen(text)
    assert [v.category for v in first] == ["insult_abuse", "third_party_contact", "excessive_fee"]
    assert [v.span[0] for v in first] == sorted(v.span[0] for v in first)
    assert screen(text) == first
    assert Screener().screen(text) == first


def test_speakers():
    assert hits("我们会联系您的家人", speaker="debtor") == []
    assert [v.category for v in screen("我们会联系您的家人", speaker="bot")] == ["third_party_contact"]
    assert [v.category for v in screen("我们会联系您的家人", speaker="Collector")] == ["third_party_contact"]


def test_empty_and_punctuation_only():
    assert screen("") == []
    assert screen("，。！？ ...") == []


def test_lone_surrogates_do_not_break_conversion():
    assert hits("\ud800不还就坐牢") == [
        ("false_legal_consequence", "false_legal_consequence.arrest_jail", (4, 6), "坐牢")
    ]


def test_version_is_a_sha256():
    sc = Screener()
    assert len(sc.version) == 64
    assert int(sc.version, 16) >= 0
    assert sc.version == Screener().version


def test_rejects_non_text():
    with pytest.raises(TypeError):
        screen(None)  # type: ignore[arg-type]


# ------------------------------------------------------------------ screen_lines


def test_screen_lines():
    lines = [
        json.dumps(
            {"id": "a1", "text": "我要弄死你", "speaker": "collector", "lang": "zh-Hans"}, ensure_ascii=False
        ),
        "",
        "{not json",
        json.dumps({"id": "a3", "speaker": "bot"}),
        json.dumps({"id": "a4", "text": "您好", "speaker": 7}),
        json.dumps(["a list"]),
        json.dumps({"id": 5, "text": "我们不会联系您的家人"}, ensure_ascii=False),
    ]
    out = [json.loads(x) for x in screen_lines(lines)]
    assert out == [
        {
            "id": "a1",
            "violations": [
                {
                    "category": "threat_violence",
                    "rule": "threat_violence.kill",
                    "span": [2, 5],
                    "severity": "high",
                }
            ],
        },
        {"id": None, "error": {"code": "invalid_json", "zh": "不是有效的 JSON", "en": "not valid JSON"}},
        {
            "id": "a3",
            "error": {
                "code": "invalid_text",
                "zh": "缺少 text 字段或不是字符串",
                "en": "text is missing or not a string",
            },
        },
        {
            "id": "a4",
            "error": {
                "code": "invalid_field",
                "zh": "speaker 和 lang 应为字符串",
                "en": "speaker and lang must be strings",
            },
        },
        {
            "id": None,
            "error": {
                "code": "invalid_json",
                "zh": "每行应为一个 JSON 对象",
                "en": "each line must be a JSON object",
            },
        },
        {"id": 5, "violations": []},
    ]


# ------------------------------------------------------------------ properties


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("你我他死打联系家人法院坐牢欠钱不会吗？，。 .*-·|~zlsbLXJR聯繫們傻逼ﬁ㍿①")),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(
    text=_TEXT,
    speaker=st.sampled_from(["collector", "bot", "debtor", ""]),
    lang=st.sampled_from([None, "zh-Hans", "en", "zh-Hant"]),
)
def test_never_raises_and_spans_lie_in_the_text(text, speaker, lang):
    violations = screen(text, speaker=speaker, lang=lang)
    for v in violations:
        assert 0 <= v.span[0] < v.span[1] <= len(text)
        assert v.matched == text[v.span[0] : v.span[1]]
        assert v.category in CATEGORIES
        assert v.severity in {"high", "medium", "low"}
        assert v.rule.startswith(v.category + ".")
    assert [v.span[0] for v in violations] == sorted(v.span[0] for v in violations)


@pytest.mark.parametrize(
    "text",
    ["请问您是朱女士本人吗", "苟先生，您别着急", "沙女士您好，我是客服", "您是沙先生吗？", "朱总，您好"],
)
def test_a_surname_that_sounds_like_an_insult_is_a_name_with_an_honorific(text):
    assert screen(text, speaker="bot") == []


@pytest.mark.parametrize("text", ["你这头猪", "你就是头猪女士", "朱先生你真是个猪", "你个苟东西"])
def test_the_insult_is_still_caught_next_to_such_names(text):
    assert "insult_abuse" in {v.category for v in screen(text, speaker="bot")}
