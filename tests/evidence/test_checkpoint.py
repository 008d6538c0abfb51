"""c2sp.org/tlog-checkpoint bodies: the vector checkpoints, round trips and the malformed cases."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingzhai.evidence.checkpoint import Checkpoint, CheckpointError, format_checkpoint, parse_checkpoint
from qingzhai.evidence.note import parse

from .tlog_vectors import items

ROOT = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
ROOT_B64 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
TREE8 = f"example.com/evidence-ledger-test\n8\n{ROOT_B64}\n"


CHECKPOINT_CASES = [
    p
    for p in items("signed-note.json", "cases")
    if p.values[0] is None or "checkpoint" in p.values[0]["expect"]
]


@pytest.mark.parametrize("case", CHECKPOINT_CASES)
def test_vector_checkpoints(case):
    text = parse(case["note"]).text
    want = case["expect"]["checkpoint"]
    cp = parse_checkpoint(text)
    root = (
        bytes.fromhex(want["root_hash_hex"])
        if "root_hash_hex" in want
        else base64.b64decode(want["root_hash_b64"])
    )
    assert cp == Checkpoint(want["origin"], want["size"], root)
    assert format_checkpoint(cp) == text


def test_tree8_checkpoint():
    cp = parse_checkpoint(TREE8)
    assert cp == Checkpoint("example.com/evidence-ledger-test", 8, ROOT, ())
    assert format_checkpoint(cp) == TREE8
    with_ext = TREE8 + "ext one\n— ext two\n"
    assert parse_checkpoint(with_ext).extensions == ("ext one", "— ext two")
    assert format_checkpoint(parse_checkpoint(with_ext)) == with_ext
    assert parse_checkpoint(f"o\n0\n{ROOT_B64}\n").size == 0
    assert parse_checkpoint(f"o\n{2**64 - 1}\n{ROOT_B64}\n").size == 2**64 - 1
    assert (
        parse_checkpoint(f"origin with spaces + plus\n1\n{ROOT_B64}\n").origin == "origin with spaces + plus"
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        TREE8[:-1],  # no final newline
        f"o\n8\n{ROOT_B64}",
        "o\n8\n",
        f"\n8\n{ROOT_B64}\n",  # empty origin
        f"o\n08\n{ROOT_B64}\n",
        f"o\n+8\n{ROOT_B64}\n",
        f"o\n-1\n{ROOT_B64}\n",
        f"o\n 8\n{ROOT_B64}\n",
        f"o\n8.0\n{ROOT_B64}\n",
        f"o\n\n{ROOT_B64}\n",
        f"o\n{2**64}\n{ROOT_B64}\n",
        "o\n٨\n" + ROOT_B64 + "\n",  # a non-ASCII digit
        f"o\n8\n{ROOT_B64[:-1]}\n",  # padding missing
        f"o\n8\n{ROOT_B64[:-2]}h=\n",  # non-zero pad bits
        f"o\n8\n{base64.b64encode(ROOT[:31]).decode()}\n",
        f"o\n8\n{base64.b64encode(ROOT + b'x').decode()}\n",
        f"o\n8\n{ROOT_B64.replace('+', '-')}\n",  # URL alphabet
        f"o\n8\n {ROOT_B64}\n",
        TREE8 + "\n",  # empty extension line
        TREE8 + "ext\n\n",
        TREE8.replace("example", "exa\tmple"),
        TREE8.replace("example", "exa\rmple"),
        TREE8.replace("example", "exa\ud800mple"),
    ],
)
def test_malformed(text):
    with pytest.raises(CheckpointError):
        parse_checkpoint(text)


@pytest.mark.parametrize(
    "cp",
    [
        Checkpoint("", 1, ROOT),
        Checkpoint("a\nb", 1, ROOT),
        Checkpoint("o", -1, ROOT),
        Checkpoint("o", 2**64, ROOT),
        Checkpoint("o", True, ROOT),
        Checkpoint("o", 1, ROOT[:31]),
        Checkpoint("o", 1, ROOT, ("",)),
        Checkpoint("o", 1, ROOT, ("a\nb",)),
    ],
)
def test_format_rejects(cp):
    with pytest.raises(CheckpointError):
        format_checkpoint(cp)


line = st.text(st.characters(min_codepoint=0x20, exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    origin=line,
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(line, max_size=3).map(tuple),
)
def test_property_round_trip(origin, size, root, extensions):
    cp = Checkpoint(origin, size, root, extensions)
    text = format_checkpoint(cp)
    assert text.endswith("\n") and text.count("\n") == 3 + len(extensions)
    assert parse_checkpoint(text) == cp
