"""Normalisation keeps a map from every normalised character back to the original text."""

from __future__ import annotations

from qingzhai.compliance.monitor.normalize import is_cjk, normalize, normalize_term, to_simplified


def originals(text: str) -> list[str]:
    n = normalize(text)
    return [text[a:b] for a, b in zip(n.starts, n.ends, strict=True)]


def test_traditional_fullwidth_and_case():
    n = normalize("我們會聯繫ＹＯＵＲ家人")
    assert n.norm == "我们会联系your家人"
    assert n.starts == list(range(11))
    assert n.ends == list(range(1, 12))
    assert n.has_cjk is True


def test_to_simplified_keeps_length():
    assert to_simplified("還錢") == "还钱"
    assert to_simplified("plain ascii") == "plain ascii"


def test_separators_dropped_inside_chinese_and_kept_between_words():
    n = normalize("联 系-你 的.家人, call  your boss")
    assert n.norm == "联系你的家人call your boss"
    assert n.span(0, 6) == (0, 10)
    assert n.span(6, 10) == (12, 16)
    # the clause break after the comma
    assert n.clause[5] == 0 and n.clause[6] == 1


def test_letter_spacing_and_in_word_punctuation():
    assert normalize("k i l l you").norm == "kill you"
    assert normalize("f*ck off").norm == "fck off"
    assert normalize("don't e-mail").norm == "dont email"
    assert normalize("a b").norm == "a b"  # two letters in English stay apart
    assert normalize("S B，还钱").norm == "sb还钱"  # ... but join inside a Chinese utterance


def test_possessive_s_is_dropped():
    n = normalize("Jenna's neighbor")
    assert n.norm == "jenna neighbor"
    assert n.span(0, 5) == (0, 5)


def test_units_count_characters_and_words():
    n = normalize("我们会 call your family")
    assert n.norm == "我们会call your family"
    assert n.unit[:3] == [0, 1, 2]
    assert n.unit[3] == n.unit[6] == 3
    assert n.gap_units(7, 13) == 1  # "your" between "call" and "family"


def test_abbreviations_only_in_chinese_utterances():
    abbr = {"zl": "坐牢"}
    n = normalize("不还就zl了", abbreviations=abbr)
    assert n.norm == "不还就坐牢了"
    assert n.span(3, 5) == (3, 5)
    assert normalize("the zl file", abbreviations=abbr).norm == "the zl file"
    assert normalize("zl", abbreviations=abbr, chinese=True).norm == "坐牢"
    assert normalize("不还就zlx", abbreviations=abbr).norm == "不还就zlx"


def test_question_clauses():
    n = normalize("你不怕吗？我们会去")
    assert n.question_clauses == frozenset({0})
    assert n.sentence[-1] == 1


def test_expanding_compatibility_characters_map_to_their_source():
    n = normalize("①号")
    assert n.norm == "1号"
    assert originals("①号") == ["①", "号"]


def test_zero_width_characters_are_separators():
    assert normalize("坐\u200b牢").norm == "坐牢"


def test_normalize_term_and_is_cjk():
    assert normalize_term("聯繫 家人") == "联系家人"
    assert normalize_term("Call Your BOSS") == "call your boss"
    assert is_cjk("家") and is_cjk("𠀀") and not is_cjk("a") and not is_cjk("1")
