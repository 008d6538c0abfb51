"""Court bundles: written from a synthetic log, checked by the standalone verify.py they ship. No database."""

from __future__ import annotations

import ast
import base64
import contextlib
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qingzhai.evidence import merkle
from qingzhai.evidence.bundle import BundleEntry, BundleError, BundleInput, build_bundle, write_bundle
from qingzhai.evidence.bundle import standalone_verify as sv
from qingzhai.evidence.checkpoint import Checkpoint, format_checkpoint
from qingzhai.evidence.note import CosignatureSigner, Signer, add_signatures, sign_note
from qingzhai.evidence.tlog_proof import TlogProof, format_tlog_proof

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "data/evidence/bundle-vectors.json").read_text())
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "signed-note.json"
LOG_KEY, WITNESS_KEY = VECTORS["log_key"], VECTORS["witness_key"]
ORIGIN = LOG_KEY["name"]
COSIGNED_AT = 1767225600
GENERATED_AT = datetime(2026, 11, 29, 1, 30, 5, tzinfo=UTC)
SHARED_RECEIPT = b'{"receipt":"shared by entries 2, 6, 10 and 14"}\n'


def record(i: int) -> tuple[dict, bytes | None]:
    """Leaf record i of the synthetic log, with its artifact bytes."""
    kinds = ["payment", "letter", "sms_receipt", "stage_change"]
    artifact: bytes | None
    if i % 4 == 0:
        artifact, media = json.dumps({"amount": f"{1000 + i}.00"}).encode(), "application/json"
    elif i % 4 == 1:
        artifact, media = b"%PDF-1.7 letter " + bytes([i]) * 40, "application/pdf"
    elif i % 4 == 2:
        artifact, media = SHARED_RECEIPT, "text/plain"
    else:
        artifact = None
    meta = None
    if artifact is not None:
        meta = {"sha256": hashlib.sha256(artifact).hexdigest(), "size": len(artifact), "media_type": media}
    value = {
        "v": 1,
        "type": kinds[i % 4],
        "case": 12 if i < 16 else 99,
        "actor": "user:5",
        "time": f"2026-11-{10 + i // 2:02d}T{i:02d}:42:03.123456Z",
        "subject": f"portfolio.payment:{70 + i}",
        "artifact": meta,
        "prev": None,
    }
    return value, artifact


def leaf(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def make_input(size: int = 20, witnessed: bool = True, **changes) -> BundleInput:
    """A bundle of case 12's entries (indices 0..15) from a log of `size` leaves, signed and cosigned."""
    records = [record(i) for i in range(size)]
    hashes = [merkle.leaf_hash(leaf(r)) for r, _ in records]
    text = format_checkpoint(Checkpoint(ORIGIN, size, merkle.root_from_leaf_hashes(hashes)))
    note = sign_note(text, Signer.from_skey(LOG_KEY["skey"]))
    if witnessed:
        note = add_signatures(
            note, CosignatureSigner.from_skey(WITNESS_KEY["skey"]).cosign(text, COSIGNED_AT)
        )
    entries = [
        BundleEntry(
            index=i,
            leaf=leaf(r),
            proof=format_tlog_proof(TlogProof(i, tuple(merkle.inclusion_proof(hashes, i)), note)),
            record=r,
            artifact=artifact,
            title_zh=[
                f"还款记录 ¥{1000 + i:,}.00（2026-11-{10 + i // 2:02d}）",
                "催告函",
                "短信送达回执",
                "转入诉讼",
            ][i % 4],
        )
        for i, (r, artifact) in enumerate(records)
        if r["case"] == 12
    ]
    data = BundleInput(
        case_label="（2026）沪0105民初12号",
        creditor_label="某某小额贷款有限公司",
        origin=ORIGIN,
        checkpoint=note,
        verifier_key=LOG_KEY["vkey"],
        witness_keys=[WITNESS_KEY["vkey"]] if witnessed else [],
        generated_at=GENERATED_AT,
        generated_by="user:5",
        entries=entries,
        timestamp_token=None,
        tsa_chain_pem=None,
    )
    return replace(data, **changes)


@pytest.fixture(scope="module")
def bundle() -> bytes:
    return build_bundle(make_input())


def files_of(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def run_verifier(path: Path, *args: str, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    """Run verify.py: inside an extracted folder with no path, or next to a zip with its path."""
    if path.is_dir():
        script, target = path / "verify.py", []
    else:
        script, target = path.with_name("verify.py"), [str(path)]
        script.write_bytes(files_of(path.read_bytes())["verify.py"])
    command = [python, str(script), *target, *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)


def verify_json(tmp_path: Path, blob: bytes, *args: str) -> tuple[int, dict]:
    path = tmp_path / "bundle.zip"
    path.write_bytes(blob)
    result = run_verifier(path, "--json", *args)
    return result.returncode, json.loads(result.stdout)


def note_text(note: bytes) -> str:
    """The signed text of a signed note (what its signatures and the timestamp cover)."""
    text = note.decode()
    return text[: text.rindex("\n\n") + 1]


def sha_of(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


# ---------------------------------------------------------------- layout


def test_zip_layout_and_manifest(bundle):
    files = files_of(bundle)
    pdf_sha = sha_of(record(1)[1] or b"")
    assert list(files) == sorted(files)
    indices = range(16)
    expected = {
        "manifest.json", "checkpoint.txt", "verifier-key.txt", "witness-keys.txt", "index.pdf", "README.txt",
        "verify.py",
        *(f"entries/{i:012d}.json" for i in indices),
        *(f"proofs/{i:012d}.tlog-proof" for i in indices),
        *(f"artifacts/{sha_of(record(i)[1] or b'')}.{['json', 'pdf', 'txt'][i % 4]}" for i in indices if i % 4 != 3),
    }  # fmt: skip
    assert set(files) == expected
    assert len([n for n in files if n.startswith("artifacts/")]) == 4 + 4 + 1  # the shared receipt once
    assert files[f"artifacts/{pdf_sha}.pdf"] == record(1)[1]
    assert files["entries/000000000005.json"] == leaf(record(5)[0])
    assert files["verifier-key.txt"] == (LOG_KEY["vkey"] + "\n").encode()
    assert files["verify.py"] == Path(sv.__file__).read_bytes()
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "qingzhai-evidence-bundle/1"
    assert (manifest["case"], manifest["origin"], manifest["log_size"]) == (
        "（2026）沪0105民初12号",
        ORIGIN,
        20,
    )
    assert manifest["generated_at"] == "2026-11-29T01:30:05Z"
    assert manifest["files"] == {n: sha_of(c) for n, c in files.items() if n != "manifest.json"}
    first = manifest["entries"][1]
    assert (
        first["index"] == 1 and first["type"] == "letter" and first["time"] == "2026-11-10T01:42:03.123456Z"
    )
    assert first["leaf"] == "entries/000000000001.json"
    assert first["proof"] == "proofs/000000000001.tlog-proof"
    assert first["artifact"] == f"artifacts/{pdf_sha}.pdf" and first["artifact_sha256"] == pdf_sha
    assert [e["artifact"] for e in manifest["entries"]][2::4] == [
        f"artifacts/{sha_of(SHARED_RECEIPT)}.txt"
    ] * 4
    readme = files["README.txt"].decode()
    assert readme.index("如何校验") < readme.index("How to verify")
    assert "python verify.py 证据包.zip" in readme and LOG_KEY["vkey"] in readme


def test_same_input_same_bytes(bundle, tmp_path):
    out = io.BytesIO()
    write_bundle(out, make_input())
    write_bundle(tmp_path / "b.zip", make_input())
    assert out.getvalue() == bundle == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert {i.date_time for i in archive.infolist()} == {
            (2026, 11, 29, 9, 30, 4)
        }  # China time, 2 s steps
    assert build_bundle(make_input(generated_by="user:6")) != bundle


CJK_FONT = re.compile(rb"Noto-?S(ans|erif)-?CJK")


def inflated(pdf: bytes) -> bytes:
    """The PDF with its Flate streams decompressed (font names sit in compressed object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompressobj().decompress(match.group(1)))
    return b"".join(parts)


def test_pdf_index(bundle):
    pdf = files_of(bundle)["index.pdf"]
    assert pdf.startswith(b"%PDF-")
    try:
        import pypdf
    except ImportError:  # no text extraction: the PDF must at least be real and embed a CJK font
        assert len(pdf) > 20_000 and CJK_FONT.search(inflated(pdf)), "no Noto CJK font in the PDF"
        return
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    for expected in (
        "电子证据清单",
        "（2026）沪0105民初12号",
        "如何验证",
        "第十六条",
        "verify.py",
        "2026-11-29 09:30:05",
    ):
        assert expected in text
    assert "还款记录 ¥1,004.00（2026-11-12）" in text
    fonts = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert any(CJK_FONT.search(name.encode()) for name in fonts), fonts
    assert CJK_FONT.search(inflated(pdf))


# ---------------------------------------------------------------- the verifier


def test_verifier_passes_zip_and_extracted_folder(bundle, tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle)
    result = run_verifier(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[通过 PASS] checkpoint.txt" in result.stdout
    assert "[通过 PASS] witness-keys.txt: example.com/test-witness" in result.stdout
    assert (
        "[通过 PASS] entries/000000000015.json: 已收录于日志第 15 号 (stage_change, 2026-11-17T15:42:03.123456Z)"
        in result.stdout
    )
    assert result.stdout.strip().splitlines()[-1].startswith("结果：全部 ")
    folder = tmp_path / "extracted"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    result = run_verifier(folder)  # no argument: the folder verify.py lies in
    assert result.returncode == 0, result.stdout + result.stderr
    code, report = verify_json(tmp_path, bundle, "--key", LOG_KEY["vkey"])
    assert code == 0 and report["ok"] is True and report["first_failure"] is None
    assert (report["size"], report["root_hex"]) == (
        20,
        json.loads(files_of(bundle)["manifest.json"])["root_hash"],
    )
    assert sum(1 for c in report["checks"] if c["ok"]) == 1 + 1 + 1 + 16 + 9 + 1


def tamper_artifact(files):
    name = f"artifacts/{sha_of(record(1)[1] or b'')}.pdf"
    files[name] = files[name][:-1] + b"X"
    return name, "content differs from the log's SHA-256"


def tamper_leaf(files):
    files["entries/000000000003.json"] = files["entries/000000000003.json"].replace(b"user:5", b"user:6")
    return "entries/000000000003.json", "does not lead to the checkpoint root"


def tamper_proof(files):
    lines = files["proofs/000000000003.tlog-proof"].decode().split("\n")
    lines[2] = base64.b64encode(b"\x07" * 32).decode()
    files["proofs/000000000003.tlog-proof"] = "\n".join(lines).encode()
    return "entries/000000000003.json", "with proofs/000000000003.tlog-proof it does not lead"


def flip_signature_byte(files, signer: str, position: int) -> None:
    lines = files["checkpoint.txt"].decode().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(f"— {signer} "))
    raw = bytearray(base64.b64decode(lines[at].split(" ")[2]))
    raw[position] ^= 1
    lines[at] = f"— {signer} {base64.b64encode(raw).decode()}"
    files["checkpoint.txt"] = "\n".join(lines).encode()


def tamper_signature(files):
    flip_signature_byte(files, ORIGIN, 10)
    return "checkpoint.txt", f"signature by {ORIGIN} does not verify"


def tamper_cosignature(files):
    flip_signature_byte(files, WITNESS_KEY["name"], 11)  # the last byte of the cosignature's timestamp
    return (
        "witness-keys.txt: example.com/test-witness",
        "signature by example.com/test-witness does not verify",
    )


def drop_artifact(files):
    del files[f"artifacts/{sha_of(SHARED_RECEIPT)}.txt"]
    return f"artifacts/{sha_of(SHARED_RECEIPT)}", "missing what entries/000000000002.json names"


def foreign_proof(files):
    other = make_input(size=21).entries[4].proof  # the same leaf, proven against another checkpoint
    files["proofs/000000000004.tlog-proof"] = other.encode()
    return "proofs/000000000004.tlog-proof", "not this bundle's checkpoint"


@pytest.mark.parametrize(
    "tamper",
    [
        tamper_artifact,
        tamper_leaf,
        tamper_proof,
        tamper_signature,
        tamper_cosignature,
        drop_artifact,
        foreign_proof,
    ],
)
def test_verifier_names_the_first_tampered_item(bundle, tmp_path, tamper):
    files = files_of(bundle)
    item, reason = tamper(files)
    code, report = verify_json(tmp_path, rezip(files))
    assert code == 1 and report["ok"] is False
    assert report["first_failure"]["item"] == item
    assert reason in report["first_failure"]["en"]


def test_verifier_rejects_another_pinned_key(bundle, tmp_path):
    code, report = verify_json(tmp_path, bundle, "--key", VECTORS["other_key"]["vkey"])
    assert code == 1
    assert report["first_failure"]["item"] == "verifier-key.txt"
    failed = [c["item"] for c in report["checks"] if c["ok"] is False]
    assert failed == ["verifier-key.txt", "checkpoint.txt"]
    path = tmp_path / "bundle.zip"
    text = run_verifier(path, "--key", VECTORS["other_key"]["vkey"]).stdout
    assert text.strip().splitlines()[-1] == (
        "结果：校验未通过，首个失败项 verifier-key.txt：与 --key 指定的公钥不一致 / "
        "RESULT: FAILED, first at verifier-key.txt: differs from the key given with --key"
    )


def test_verifier_usage_errors(tmp_path):
    script = tmp_path / "verify.py"
    script.write_bytes(Path(sv.__file__).read_bytes())
    for args in ([str(tmp_path / "missing.zip")], [str(tmp_path)], ["--bogus"]):
        result = subprocess.run(
            [sys.executable, str(script), *args], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2, args


def test_verify_py_imports_only_the_standard_library_and_cryptography():
    tree = ast.parse(Path(sv.__file__).read_text(encoding="utf-8"))
    modules = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert modules - set(sys.stdlib_module_names) == {"cryptography", "rfc3161_client"}


def test_standalone_checks_agree_with_the_c2sp_vectors():
    vector = VECTORS["tlog_proof"]
    index, path, note = sv.parse_proof(vector["proof"])
    text, signatures = sv.split_note(note)
    assert sv.check_signature(text, signatures, vector["log_vkey"]) == f"{ORIGIN} 7f21c141"
    assert sv.check_signature(text, signatures, vector["witness_vkey"]).endswith(f", time {COSIGNED_AT}")
    origin, size, root = sv.parse_checkpoint(text)
    assert origin == ORIGIN
    leaf_hash = hashlib.sha256(b"\x00" + bytes.fromhex(vector["leaf_data_hex"])).digest()
    assert (index, size, root.hex()) == (5, 8, vector["expect"]["root_hash_hex"])
    assert sv.root_from_proof(index, size, leaf_hash, path) == root
    assert sv.root_from_proof(4, size, leaf_hash, path) != root
    with pytest.raises(sv.Invalid, match="no signature by PeterNeumann"):
        sv.check_signature(text, signatures, VECTORS["other_key"]["vkey"])
    with pytest.raises(sv.Invalid, match="the log key must be an Ed25519 note key"):
        sv.check_signature(text, signatures, vector["witness_vkey"], log=True)


@pytest.mark.skipif(not SHARED.exists(), reason=f"shared vectors not present at {SHARED}")
def test_local_vector_copy_matches_shared():
    shared = json.loads(SHARED.read_text(encoding="utf-8"))
    assert shared["keys"]["derived test log key"] == LOG_KEY
    assert shared["tlog_proof"]["proof"] == VECTORS["tlog_proof"]["proof"]


# ---------------------------------------------------------------- timestamps


def test_timestamp_check_with_the_rfc3161_vectors():
    pytest.importorskip("rfc3161_client")
    ts = VECTORS["rfc3161"]
    chain = ts["ts_chain_pem"].encode()
    for response in ts["responses"]:
        token = base64.b64decode(response["der_b64"])
        for message, valid in response["expect"].items():
            ok, detail = sv.check_timestamp(token, chain, message.encode())
            assert ok is valid, (response["file"], message, detail)
    ok, detail = sv.check_timestamp(base64.b64decode(ts["responses"][0]["der_b64"]), None, b"hello")
    assert ok is None and "tsa-chain.pem is missing" in detail


def test_a_timestamp_over_something_else_fails(tmp_path):
    ts = VECTORS["rfc3161"]
    token = base64.b64decode(ts["responses"][0]["der_b64"])
    blob = build_bundle(make_input(witnessed=False, timestamp_token=token, tsa_chain_pem=ts["ts_chain_pem"]))
    names = set(files_of(blob))
    assert {"checkpoint.tsr", "tsa-chain.pem"} <= names and "witness-keys.txt" not in names
    code, report = verify_json(tmp_path, blob)
    try:
        import rfc3161_client  # noqa: F401
    except ImportError:
        assert code == 0 and report["timestamp_checked"] is False
        return
    assert code == 1 and report["first_failure"]["item"] == "checkpoint.tsr"
    assert report["first_failure"]["en"] == "the timestamp is not over this checkpoint's text"


# ---------------------------------------------------------------- the writer refuses what would not verify


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: replace(d, generated_at=datetime(2026, 11, 29)), "aware"),
        (lambda d: replace(d, verifier_key=VECTORS["other_key"]["vkey"]), "no signature by PeterNeumann"),
        (lambda d: replace(d, origin="example.com/other"), "origin"),
        (
            lambda d: replace(d, entries=[replace(d.entries[1], artifact=b"other")]),
            "entry 1: the artifact bytes",
        ),
        (
            lambda d: replace(d, entries=[replace(d.entries[3], artifact=b"x")]),
            "entry 3: artifact bytes given",
        ),
        (lambda d: replace(d, entries=[replace(d.entries[2], index=5)]), "entry 5"),
        (lambda d: replace(d, entries=[replace(d.entries[2], leaf=d.entries[2].leaf + b" ")]), "entry 2"),
        (lambda d: replace(d, entries=[d.entries[0], d.entries[0]]), "entry 0 appears twice"),
    ],
)
def test_writer_refuses_input_that_would_not_verify(change, message):
    with pytest.raises(BundleError, match=message):
        build_bundle(change(make_input()))


# ---------------------------------------------------------------- a clean Python with only cryptography


@pytest.mark.slow
def test_verifier_runs_in_a_fresh_venv_with_only_cryptography(bundle, tmp_path):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("needs no database: runs once, in the SQLite leg of the suite")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "cryptography"], capture_output=True, text=True, timeout=600
    )
    if install.returncode != 0:
        pytest.skip(f"cannot install cryptography from the package index: {install.stderr.strip()[-300:]}")
    listed = subprocess.run([python, "-m", "pip", "list", "--format=json"], capture_output=True, text=True)
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert installed <= {"pip", "setuptools", "cryptography", "cffi", "pycparser"}, installed
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle)
    result = run_verifier(path, python=python)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "结果：全部 29 项校验通过 / RESULT: all 29 checks passed"
    # Without rfc3161-client a timestamp is reported as not checked, with the way to check it, and passes.
    ts = VECTORS["rfc3161"]
    token = base64.b64decode(ts["responses"][0]["der_b64"])
    path.write_bytes(build_bundle(make_input(timestamp_token=token, tsa_chain_pem=ts["ts_chain_pem"])))
    result = run_verifier(path, python=python)
    assert result.returncode == 0, result.stdout + result.stderr
    digest = hashlib.sha256(note_text(files_of(path.read_bytes())["checkpoint.txt"]).encode()).hexdigest()
    assert (
        "[提示 NOTE] checkpoint.tsr: 未校验可信时间戳 / rfc3161-client is not installed (pip install "
        f"rfc3161-client), or run: openssl ts -verify -digest {digest} -in checkpoint.tsr -CAfile tsa-chain.pem"
    ) in result.stdout
