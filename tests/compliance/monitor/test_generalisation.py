"""General behaviours beyond single phrases: lawful mentions scoped to their clause, negation before the
verb of a pattern, homophone matches that keep only a pronoun, verb x third-party families, and the data
fields behind them (``stops`` in lawful.yaml, ``pinyin_weak`` in variants.yaml)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qingzhai.compliance.monitor import LexiconError, Screener, load_lexicon, screen


def cats(text: str) -> list[tuple[str, str, str]]:
    return [(v.category, v.rule, v.matched) for v in screen(text)]


# ------------------------------------------------------------------ lawful mentions stay in their clause


def test_lawful_clause_does_not_clear_a_threat_in_the_next_clause():
    assert cats("判决后拒不履行可被拘留，不还钱就抓你") == [
        ("false_legal_consequence", "false_legal_consequence.arrest_jail", "抓你")
    ]
    assert cats("判决后拒不履行可被拘留，我们明天就上门抓你") == [
        ("false_legal_consequence", "false_legal_consequence.arrest_jail", "上门抓你")
    ]


def test_lawful_clause_still_covers_its_own_consequence_clause():
    assert cats("拒不履行生效判决的，法院可以依法将其纳入失信被执行人名单") == []
    assert cats("拒不履行判决的，法院可以依法拘留，如果你配合，我们不会上门") == []


# ------------------------------------------------------------------ negation right before the verb


def test_negation_before_the_last_slot_of_a_pattern():
    assert cats("村委会那边我们没有联系过") == []
    assert cats("村委会那边我们已经联系过了") == [
        ("third_party_contact", "third_party_contact.contact_third_party", "村委会那边我们已经联系")
    ]


def test_nobody_is_a_long_negation():
    assert cats("Nobody here is going to arrest you.") == []


# ------------------------------------------------------------------ homophones need more than a pronoun


def test_pronoun_alone_does_not_vouch_for_a_homophone():
    assert cats("我下星期三再同你确认一次") == []  # Cantonese 同你 = "with you", not 捅你
    assert cats("我就找人捅你") == [("threat_violence", "threat_violence.harm_body", "找人捅你")]
    assert cats("钱不到账，我就找人费了你") == [("threat_violence", "threat_violence.kill", "费了你")]


# ------------------------------------------------------------------ verb x object families


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "我明天给你表姐打一遍电话",
            [("third_party_contact", "third_party_contact.contact_third_party", "给你表姐打一遍")],
        ),
        (
            "我把你表哥你舅舅都拉进来",
            [("third_party_contact", "third_party_contact.contact_third_party", "把你表哥你舅舅都拉进来")],
        ),
        (
            "你媳妇的电话我这儿有，今晚我就联系她",
            [
                (
                    "third_party_contact",
                    "third_party_contact.contact_third_party",
                    "媳妇的电话我这儿有，今晚我就联系她",
                )
            ],
        ),
        (
            "你们车间主任问我什么事，我就说了，你欠款三个月没还",
            [
                (
                    "third_party_contact",
                    "third_party_contact.contact_third_party",
                    "车间主任问我什么事，我就说了",
                ),
                ("disclosure", "disclosure.reveal_debt", "车间主任问我什么事，我就说了，你欠款"),
            ],
        ),
        ("外访组今晚十二点到你家", [("threat_violence", "threat_violence.stalking", "今晚十二点到你家")]),
        (
            "你那辆车的轮胎哪天被扎了可别怪我",
            [("threat_violence", "threat_violence.property", "轮胎哪天被扎")],
        ),
        (
            "We'll tack a late handling fee onto the balance",
            [("excessive_fee", "excessive_fee.fee_demand", "tack a late handling fee")],
        ),
    ],
)
def test_families(text, expected):
    assert cats(text) == expected


# ------------------------------------------------------------------ data fields


def write(directory: Path, name: str, body: str) -> None:
    (directory / name).write_text(textwrap.dedent(body), encoding="utf-8")


FLC = """\
    category: false_legal_consequence
    severity: high
    rules:
      - id: arrest
        terms: [抓你]
"""


def test_lawful_stops_from_data(tmp_path):
    write(tmp_path, "false_legal_consequence.yaml", FLC)
    write(
        tmp_path,
        "lawful.yaml",
        """\
        stops: {zh: [就]}
        mentions:
          - id: judgment
            categories: [false_legal_consequence]
            terms: [判决后拒不履行]
            reach: 24
        """,
    )
    sc = Screener(tmp_path)
    assert sc.lexicon.lawful_stops == ("就",)
    assert [v.rule for v in sc.screen("判决后拒不履行，法院抓你")] == []
    assert [v.rule for v in sc.screen("判决后拒不履行，就抓你")] == ["false_legal_consequence.arrest"]
    assert [v.rule for v in sc.screen("判决后拒不履行就抓你")] == []  # same clause: the mention governs


def test_lawful_stops_must_be_terms(tmp_path):
    write(tmp_path, "false_legal_consequence.yaml", FLC)
    write(tmp_path, "lawful.yaml", "stops: 5\nmentions: []\n")
    with pytest.raises(LexiconError) as exc:
        load_lexicon(tmp_path)
    assert (exc.value.file, exc.value.entry, exc.value.field) == ("lawful.yaml", None, "stops")


def test_pinyin_weak_from_data(tmp_path):
    write(
        tmp_path,
        "threat_violence.yaml",
        """\
        category: threat_violence
        severity: high
        rules:
          - id: stab
            terms: [捅你]
        """,
    )
    write(tmp_path, "variants.yaml", "pinyin_weak: [你]\n")
    assert Screener(tmp_path).screen("同你讲") == []
    write(tmp_path, "variants.yaml", "pinyin_weak: []\n")
    assert [v.rule for v in Screener(tmp_path).screen("同你讲")] == ["threat_violence.stab"]


def test_packaged_pinyin_weak_and_stops():
    lex = load_lexicon()
    assert {"你", "您", "他", "她"} <= lex.variants.pinyin_weak
    assert "了" not in lex.variants.pinyin_weak
    assert {"就", "不还", "我们"} <= set(lex.lawful_stops)


def test_module_entry_point_validates(capsys):
    from qingzhai.compliance.monitor.__main__ import main

    assert main([]) == 0
    assert "版本 / version:" in capsys.readouterr().out
