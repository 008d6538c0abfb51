"""Small-claims threshold from the data file (CPL 2023 art. 165) and the procedure an amount allows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qingzhai.legal.machines import MachineError, Threshold, procedure_for, small_claims_threshold
from qingzhai.legal.machines import small_claims as sc

REFERENCE = Path(__file__).resolve().parents[3].parent / "shared" / "domain" / "cn-legal-reference.md"
HEADER = "province,year,average_annual_wage_yuan,source,confirmed\n"


def test_shanghai_figure_is_in_the_file_but_unconfirmed():
    t = small_claims_threshold("上海市", 2024)
    assert t == Threshold(fen=7_384_200, wage_fen=14_768_400, source=t.source, confirmed=False)
    assert "UNCONFIRMED" in t.source and "§3.2" in t.source
    assert small_claims_threshold("上海", 2024) == t


def test_shanghai_figure_matches_the_legal_reference():
    if not REFERENCE.exists():
        pytest.skip(f"legal reference not available at {REFERENCE}")
    text = REFERENCE.read_text(encoding="utf-8")
    assert "12,307/month for 2023" in text and "147,684" in text and "73,842" in text


@pytest.mark.parametrize(
    ("amount_fen", "procedure"),
    [
        (1, "small_claims"),
        (7_384_200, "small_claims"),  # exactly 50 % of the wage: "以下" includes it
        (7_384_201, "small_claims_by_agreement"),
        (14_768_400, "small_claims_by_agreement"),
        (29_536_800, "small_claims_by_agreement"),  # exactly twice the wage itself
        (29_536_801, "simple"),
    ],
)
def test_procedure_for_the_amount(amount_fen, procedure):
    assert procedure_for(amount_fen, "上海市", 2024) == procedure


def test_a_missing_year_or_province_is_not_guessed():
    for province, year in (("上海市", 2025), ("北京市", 2024)):
        with pytest.raises(MachineError) as info:
            small_claims_threshold(province, year)
        assert (info.value.code, info.value.field) == ("small_claims_unknown", "province")
        with pytest.raises(MachineError):
            procedure_for(100, province, year)


@pytest.mark.parametrize("amount", [0, -1, True, 1.5, "100"])
def test_amount_must_be_positive_fen(amount):
    with pytest.raises(MachineError) as info:
        procedure_for(amount, "上海市", 2024)
    assert (info.value.code, info.value.field) == ("bad_fact", "amount_fen")


def test_env_override_and_reload_on_edit(tmp_path, monkeypatch):
    path = tmp_path / "sc.csv"
    path.write_text("# test\n" + HEADER + '广西壮族自治区,2025,100000.50,"notice",1\n', encoding="utf-8")
    monkeypatch.setenv(sc.ENV_VAR, str(path))
    assert sc.small_claims_file() == path
    t = small_claims_threshold("广西", 2025)
    assert (t.fen, t.wage_fen, t.confirmed, t.source) == (5_000_025, 10_000_050, True, "notice")
    assert procedure_for(5_000_025, "广西壮族自治区", 2025) == "small_claims"
    path.write_text(HEADER + "广西壮族自治区,2025,120000,notice 2,1\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even within the same clock tick
    assert small_claims_threshold("广西", 2025).wage_fen == 12_000_000


@pytest.mark.parametrize(
    "body",
    [
        "province,year,wage,source,confirmed\n上海市,2024,1,x,1\n",
        HEADER + "上海市,24,1000,x,1\n",
        HEADER + "上海市,2024,-5,x,1\n",
        HEADER + "上海市,2024,1000.001,x,1\n",
        HEADER + "上海市,2024,abc,x,1\n",
        HEADER + "上海市,2024,1000,x,yes\n",
        HEADER + "上海市,2024,1000,x,1\n上海,2024,1001,y,0\n",
        HEADER,
        "# only a comment\n",
    ],
)
def test_invalid_files_are_refused_with_the_line(tmp_path, body):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(MachineError) as info:
        small_claims_threshold("上海市", 2024, path=path)
    assert (info.value.code, info.value.field) == ("small_claims_file_invalid", "small_claims_file")
    assert str(path) in info.value.en


def test_missing_file(tmp_path):
    with pytest.raises(MachineError) as info:
        small_claims_threshold("上海市", 2024, path=tmp_path / "none.csv")
    assert info.value.code == "small_claims_file_missing" and sc.ENV_VAR in info.value.en
