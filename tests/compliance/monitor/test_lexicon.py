"""Data files: loading, validation errors that name file, entry and field, and custom data directories."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qingzhai.compliance.monitor import LexiconError, Screener, load_lexicon
from qingzhai.compliance.monitor.lexicon import CATEGORIES, DEFAULT_DATA_DIR, main


def write(directory: Path, name: str, body: str) -> None:
    (directory / name).write_text(textwrap.dedent(body), encoding="utf-8")


RULE = """\
    category: debt_trap
    severity: medium
    rules:
      - id: new_loan
        terms: [以贷养贷, take out a payday loan]
        patterns:
          - seq: [[去借], [网贷], [还]]
            max_gap: [2, 4]
"""


def test_packaged_data_loads():
    lex = load_lexicon()
    assert {r.category for r in lex.rules} == set(CATEGORIES)
    assert len({r.rule_id for r in lex.rules}) == len(lex.rules)
    assert lex.screened_speakers is not None and "collector" in lex.screened_speakers
    assert lex.variants.abbreviations["zl"] == "坐牢"
    assert lex.version == load_lexicon(DEFAULT_DATA_DIR).version


def test_custom_data_dir(tmp_path):
    write(tmp_path, "debt_trap.yaml", RULE)
    sc = Screener(tmp_path)
    assert [(v.rule, v.span) for v in sc.screen("你去借网贷来还")] == [("debt_trap.new_loan", (1, 7))]
    assert [(v.rule, v.span) for v in sc.screen("Take out a payday loan now")] == [
        ("debt_trap.new_loan", (0, 22))
    ]
    assert sc.screen("我们会联系您的家人") == []  # no other category in this directory
    old = sc.version
    write(tmp_path, "debt_trap.yaml", RULE.replace("以贷养贷", "借新还旧"))
    assert Screener(tmp_path).version != old


def expect_error(tmp_path: Path, name: str, body: str) -> LexiconError:
    write(tmp_path, name, body)
    with pytest.raises(LexiconError) as info:
        load_lexicon(tmp_path)
    return info.value


def test_unknown_field(tmp_path):
    err = expect_error(
        tmp_path, "debt_trap.yaml", RULE.replace("        terms:", "        term_list: [x]\n        terms:")
    )
    assert (err.file, err.entry, err.field) == ("debt_trap.yaml", "new_loan", None)
    assert "term_list" in err.en


def test_bad_severity(tmp_path):
    err = expect_error(
        tmp_path,
        "debt_trap.yaml",
        RULE.replace("      - id: new_loan\n", "      - id: new_loan\n        severity: severe\n"),
    )
    assert (err.file, err.entry, err.field) == ("debt_trap.yaml", "new_loan", "severity")


def test_undefined_set(tmp_path):
    err = expect_error(tmp_path, "debt_trap.yaml", RULE.replace("[[去借]", '["@lenders"'))
    assert (err.entry, err.field) == ("new_loan", "patterns[0].seq[0][0]")
    assert err.en == "undefined term set @lenders"


def test_duplicate_id(tmp_path):
    err = expect_error(tmp_path, "debt_trap.yaml", RULE + "      - id: new_loan\n        terms: [借新还旧]\n")
    assert (err.entry, err.field, err.en) == ("new_loan", "id", "duplicate id")


def test_gap_list_length(tmp_path):
    err = expect_error(tmp_path, "debt_trap.yaml", RULE.replace("max_gap: [2, 4]", "max_gap: [2]"))
    assert (err.entry, err.field) == ("new_loan", "patterns[0].max_gap")


def test_empty_term(tmp_path):
    err = expect_error(tmp_path, "debt_trap.yaml", RULE.replace("[以贷养贷,", '["，。",'))
    assert (err.entry, err.field) == ("new_loan", "terms[0]")


def test_category_must_match_file_name(tmp_path):
    err = expect_error(tmp_path, "excessive_fee.yaml", RULE)
    assert (err.file, err.field) == ("excessive_fee.yaml", "category")


def test_unknown_file(tmp_path):
    err = expect_error(tmp_path, "threats.yaml", RULE)
    assert err.file == "threats.yaml"
    assert err.entry is None


def test_yaml_syntax_error(tmp_path):
    err = expect_error(tmp_path, "debt_trap.yaml", "category: [unclosed\n")
    assert err.file == "debt_trap.yaml"
    assert err.en.startswith("YAML syntax error")


def test_abbreviation_may_not_be_an_english_word(tmp_path):
    write(tmp_path, "debt_trap.yaml", RULE)
    err = expect_error(
        tmp_path,
        "variants.yaml",
        """\
        pinyin_initials:
          - {abbr: "on", means: 欧尼}
        english_words: ["on"]
        """,
    )
    assert (err.file, err.entry, err.field) == ("variants.yaml", "on", "abbr")


def test_lawful_mention_category(tmp_path):
    write(tmp_path, "debt_trap.yaml", RULE)
    err = expect_error(
        tmp_path,
        "lawful.yaml",
        """\
        mentions:
          - id: advice
            categories: [debt_trap, harassment]
            terms: [不建议]
        """,
    )
    assert (err.file, err.entry, err.field) == ("lawful.yaml", "advice", "categories")


def test_lawful_mention_and_negation_from_data(tmp_path):
    write(tmp_path, "debt_trap.yaml", RULE)
    write(
        tmp_path,
        "lawful.yaml",
        """\
        mentions:
          - id: advice
            categories: [debt_trap]
            terms: [不建议]
            reach: 10
        """,
    )
    write(tmp_path, "negation.yaml", "cues: {zh: [别]}\n")
    sc = Screener(tmp_path)
    assert sc.screen("不建议您以贷养贷") == []
    assert sc.screen("别以贷养贷") == []
    assert [v.span for v in sc.screen("以贷养贷吧")] == [(0, 4)]


def test_cli_main(tmp_path, capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "threat_violence" in out and "version" in out
    write(tmp_path, "debt_trap.yaml", "category: debt_trap\nrules: []\n")
    assert main([str(tmp_path)]) == 1
    assert "debt_trap.yaml rules" in capsys.readouterr().err
