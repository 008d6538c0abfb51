#!/usr/bin/env python3
"""清债电子证据包校验程序 / Qingzhai evidence bundle verifier.

用法 Usage:  python verify.py [证据包.zip | 解压后的目录] [--key VKEY] [--json]

Needs Python 3.11+ and `pip install cryptography`; nothing else. Checks the log's signed checkpoint
(c2sp.org/signed-note, Ed25519), any witness cosignatures (c2sp.org/tlog-cosignature, cosignature/v1),
every entry's RFC 6962 inclusion proof (RFC 9162 §2.1.3.2), every artifact's SHA-256, the manifest's file
hashes and, where the optional package `rfc3161-client` is installed, the RFC 3161 timestamp.
Exit status: 0 all checks passed; 1 a check failed (the first is named); 2 usage error.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

FORMAT = "qingzhai-evidence-bundle/1"
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
ENTRY_NAME = re.compile(r"entries/(\d{12})\.json")
HASHES = {
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}


class Invalid(Exception):
    """A failed check: args are (Chinese reason, English reason)."""


class UsageError(Exception):
    pass


# ---------------------------------------------------------------- reading a bundle (zip or directory)


class Bundle:
    def __init__(self, path: Path) -> None:
        self.duplicates: list[str] = []
        self._zip: zipfile.ZipFile | None = None
        self._dir: Path | None = None
        if path.is_dir():
            self._dir = path
            self._names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
        elif path.is_file() and zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            listed = [i.filename for i in self._zip.infolist() if not i.is_dir()]
            self.duplicates = sorted({n for n in listed if listed.count(n) > 1})
            self._names = sorted(set(listed))
        else:
            raise UsageError(f"不是证据包 zip 文件或目录 / not a bundle zip or directory: {path}")
        if "manifest.json" not in self._names and "checkpoint.txt" not in self._names:
            raise UsageError(f"这里没有证据包 / no evidence bundle here: {path}")

    def names(self) -> list[str]:
        return list(self._names)

    def read(self, name: str) -> bytes | None:
        if name not in self._names:
            return None
        if self._zip is not None:
            return self._zip.read(name)
        assert self._dir is not None
        return (self._dir / name).read_bytes()


# ---------------------------------------------------------------- signed notes, keys, checkpoints, proofs


def b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(f"{what} 不是有效的 base64", f"{what} is not valid base64") from None


def parse_vkey(vkey: str) -> tuple[str, bytes, int, bytes]:
    """name, key ID, signature type, public key of a c2sp verifier key `name+hexid+base64(type||key)`."""
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3 or not parts[0] or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
        raise Invalid("公钥格式错误", f"malformed verifier key {vkey.strip()!r}")
    name, key_id, key = parts[0], bytes.fromhex(parts[1]), b64(parts[2], "verifier key")
    if len(key) != 33 or key[0] not in (0x01, 0x04):
        raise Invalid("不支持的公钥类型", "unsupported key type (want Ed25519, 0x01 or 0x04)")
    if hashlib.sha256(name.encode() + b"\n" + key).digest()[:4] != key_id:
        raise Invalid("公钥编号与公钥不符", "key ID does not match the key")
    return name, key_id, key[0], key[1:]


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """The signed text and the (name, key ID + signature) pairs of a c2sp signed note."""
    split = note.rfind("\n\n")
    if not note.endswith("\n") or split < 0:
        raise Invalid("签名注记格式错误", "malformed signed note")
    text, signatures = note[: split + 1], []
    for line in note[split + 2 :].split("\n")[:-1]:
        match = re.fullmatch(r"\u2014 (\S+) (\S+)", line)
        if not match or "+" in match.group(1):
            raise Invalid("签名行格式错误", f"malformed signature line {line[:40]!r}")
        blob = b64(match.group(2), "signature")
        if len(blob) < 5:
            raise Invalid("签名过短", "signature too short")
        signatures.append((match.group(1), blob))
    if not signatures:
        raise Invalid("没有签名", "the note has no signatures")
    return text, signatures


def check_signature(text: str, signatures: list[tuple[str, bytes]], vkey: str, log: bool = False) -> str:
    """Verify the note signature (0x01) or cosignature/v1 (0x04) of `vkey`; returns a description.
    A log key (`log`) must be a note key: a witness's cosignature never stands for the log's signature."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    name, key_id, kind, public = parse_vkey(vkey)
    if log and kind != 0x01:
        raise Invalid("日志公钥类型错误", "the log key must be an Ed25519 note key (type 0x01)")
    blobs = [blob for signer, blob in signatures if signer == name and blob[:4] == key_id]
    if not blobs:
        raise Invalid(f"没有 {name} 的签名", f"no signature by {name} (key ID {key_id.hex()})")
    key = Ed25519PublicKey.from_public_bytes(public)
    for blob in blobs:
        if kind == 0x01:
            message, signature, when = text.encode(), blob[4:], ""
        else:
            if len(blob) != 4 + 8 + 64:
                raise Invalid("联署签名长度错误", "cosignature has the wrong length")
            stamp = int.from_bytes(blob[4:12], "big")
            message = f"cosignature/v1\ntime {stamp}\n{text}".encode()
            signature, when = blob[12:], f", time {stamp}"
        try:
            key.verify(signature, message)
        except InvalidSignature:
            raise Invalid(f"{name} 的签名无效", f"signature by {name} does not verify") from None
    return f"{name} {key_id.hex()}{when}"


def parse_checkpoint(text: str) -> tuple[str, int, bytes]:
    lines = text.split("\n")
    if len(lines) < 4 or not lines[0] or not re.fullmatch(r"0|[1-9]\d*", lines[1]):
        raise Invalid("检查点格式错误", "malformed checkpoint body")
    root = b64(lines[2], "root hash")
    if len(root) != 32:
        raise Invalid("根哈希长度错误", "root hash is not 32 bytes")
    return lines[0], int(lines[1]), root


def parse_proof(proof: str) -> tuple[int, list[bytes], str]:
    """index, inclusion path and checkpoint note of a c2sp.org/tlog-proof@v1."""
    head, sep, note = proof.partition("\n\n")
    lines = head.split("\n")
    if not sep or lines[0] != "c2sp.org/tlog-proof@v1":
        raise Invalid("证明格式错误", "not a c2sp.org/tlog-proof@v1")
    rest = lines[2:] if len(lines) > 1 and lines[1].startswith("extra ") else lines[1:]
    if not rest or not re.fullmatch(r"index (0|[1-9]\d*)", rest[0]):
        raise Invalid("证明缺少索引行", "proof has no index line")
    hashes = [b64(line, "proof hash") for line in rest[1:]]
    if any(len(h) != 32 for h in hashes):
        raise Invalid("证明哈希长度错误", "a proof hash is not 32 bytes")
    return int(rest[0][6:]), hashes, note


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_proof(index: int, size: int, leaf_hash: bytes, proof: list[bytes]) -> bytes:
    """RFC 9162 §2.1.3.2: the root an inclusion proof leads to."""
    if not 0 <= index < size:
        raise Invalid("索引超出日志大小", f"index {index} is outside the tree of size {size}")
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise Invalid("证明过长", "the proof is longer than the tree allows")
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise Invalid("证明过短", "the proof is shorter than the tree needs")
    return r


def _tsa_chain(pem: bytes) -> tuple[list[Any], list[Any], Any]:
    """(roots, intermediates, pinned TSA certificate or None): roots are self-signed, the TSA certificate
    is the one end-entity certificate with the timeStamping extended key usage."""
    from cryptography import x509

    roots: list[Any] = []
    others: list[Any] = []
    leaves: list[Any] = []
    for cert in x509.load_pem_x509_certificates(pem):
        if cert.subject == cert.issuer:
            roots.append(cert)
            continue
        try:
            usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            stamping = x509.ExtendedKeyUsageOID.TIME_STAMPING in usage
        except x509.ExtensionNotFound:
            stamping = False
        (leaves if stamping else others).append(cert)
    if len(leaves) == 1:
        return roots, others, leaves[0]
    return roots, others + leaves, None


def check_timestamp(token: bytes, chain_pem: bytes | None, message: bytes) -> tuple[bool | None, str]:
    """RFC 3161 over `message`: (True, time) valid, (False, why) invalid, (None, how to check) unchecked."""
    hint = (
        f"openssl ts -verify -digest {hashlib.sha256(message).hexdigest()} "
        "-in checkpoint.tsr -CAfile tsa-chain.pem"
    )
    try:
        import rfc3161_client
    except ImportError:
        return None, "rfc3161-client is not installed (pip install rfc3161-client), or run: " + hint
    if not chain_pem:
        return None, "tsa-chain.pem is missing; with the TSA's chain run: " + hint
    try:
        response = rfc3161_client.decode_timestamp_response(token)
        roots, intermediates, tsa = _tsa_chain(chain_pem)
        if not roots:
            return False, "tsa-chain.pem has no self-signed root certificate"
        builder = rfc3161_client.VerifierBuilder()
        for cert in roots:
            builder = builder.add_root_certificate(cert)
        for cert in intermediates:
            builder = builder.add_intermediate_certificate(cert)
        if tsa is not None:
            builder = builder.tsa_certificate(tsa)
        imprint = response.tst_info.message_imprint
        algorithm = HASHES.get(imprint.hash_algorithm.dotted_string)
        if algorithm is None or hashlib.new(algorithm, message).digest() != imprint.message:
            return False, "the timestamp is not over this checkpoint's text"
        builder.build().verify_message(response, message)
        return True, response.tst_info.gen_time.isoformat()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a broken token fails in many ways (a Rust panic is a BaseException)
        return False, f"{type(exc).__name__}: {exc}"


# ---------------------------------------------------------------- the checks


class Report:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.items: list[dict[str, Any]] = []

    def add(self, item: str, ok: bool | None, zh: str, en: str) -> None:
        self.items.append({"item": item, "ok": ok, "zh": zh, "en": en})
        if not self.quiet:
            tag = {True: "[通过 PASS]", False: "[失败 FAIL]", None: "[提示 NOTE]"}[ok]
            print(f"{tag} {item}: {zh} / {en}")

    def first_failure(self) -> dict[str, Any] | None:
        return next((i for i in self.items if i["ok"] is False), None)


def _why(exc: Exception) -> tuple[str, str]:
    return exc.args if isinstance(exc, Invalid) else ("不是 UTF-8 文本", "not UTF-8 text")


def check_manifest(bundle: Bundle, report: Report) -> dict[str, Any]:
    for name in bundle.duplicates:
        report.add(name, False, "压缩包内有重名文件", "the zip holds this name more than once")
    try:
        manifest = json.loads(bundle.read("manifest.json") or b"")
        if isinstance(manifest, dict) and manifest.get("format") == FORMAT:
            report.add("manifest.json", True, "清单格式正确", f"format {FORMAT}")
            return manifest
    except ValueError:
        pass
    report.add("manifest.json", False, "清单缺失或格式错误", f"missing, or not {FORMAT}")
    return {}


def check_checkpoint(
    bundle: Bundle, manifest: dict[str, Any], pinned: str | None, report: Report
) -> tuple[str, int, bytes]:
    """The checkpoint text, size and root; the text is empty when the checkpoint cannot be read."""
    bundle_key = (bundle.read("verifier-key.txt") or b"").decode("utf-8", "replace").strip()
    if pinned and pinned.strip() != bundle_key:
        report.add(
            "verifier-key.txt", False, "与 --key 指定的公钥不一致", "differs from the key given with --key"
        )
    try:
        text, signatures = split_note((bundle.read("checkpoint.txt") or b"").decode("utf-8"))
        origin, size, root = parse_checkpoint(text)
    except (Invalid, UnicodeDecodeError) as exc:
        report.add("checkpoint.txt", False, *_why(exc))
        return "", 0, b""
    try:  # a checkpoint that reads but fails here still serves to check the entries against
        if manifest and manifest.get("origin") != origin:
            raise Invalid(
                "检查点的日志标识与清单不符", f"checkpoint origin {origin!r} differs from the manifest"
            )
        who = check_signature(text, signatures, pinned.strip() if pinned else bundle_key, log=True)
        report.add(
            "checkpoint.txt", True, f"日志签名有效，大小 {size}", f"log signature valid ({who}), size {size}"
        )
    except Invalid as exc:
        report.add("checkpoint.txt", False, *exc.args)
    for line in (bundle.read("witness-keys.txt") or b"").decode("utf-8", "replace").splitlines():
        if line.strip():
            item = "witness-keys.txt: " + line.split("+", 1)[0]
            try:
                who = check_signature(text, signatures, line)
                report.add(item, True, "见证方联署签名有效", f"witness cosignature valid ({who})")
            except Invalid as exc:
                report.add(item, False, *exc.args)
    return text, size, root


def check_entry(bundle: Bundle, name: str, checkpoint: tuple[str, int, bytes], report: Report) -> Any:
    """Check one entry's inclusion; returns its record, or None when a check failed."""
    text, size, root = checkpoint
    digits = name[len("entries/") : -len(".json")]
    index, proof_name = int(digits), f"proofs/{digits}.tlog-proof"
    raw = bundle.read(proof_name)
    if raw is None:
        report.add(name, False, f"缺少包含证明 {proof_name}", f"missing its proof {proof_name}")
        return None
    try:
        proof_index, path, proof_note = parse_proof(raw.decode("utf-8"))
        if proof_index != index:
            raise Invalid(f"证明所述索引为 {proof_index}", f"the proof is for index {proof_index}")
        if not text or split_note(proof_note)[0] != text:
            raise Invalid("所附检查点不是本证据包的检查点", "its checkpoint is not this bundle's checkpoint")
    except (Invalid, UnicodeDecodeError) as exc:
        report.add(proof_name, False, *_why(exc))
        return None
    leaf = bundle.read(name) or b""
    try:
        if root_from_proof(index, size, hashlib.sha256(b"\x00" + leaf).digest(), path) != root:
            raise Invalid(
                f"与 {proof_name} 不能推出检查点根哈希（记录或证明已被改动）",
                f"with {proof_name} it does not lead to the checkpoint root (entry or proof altered)",
            )
        record = json.loads(leaf)
    except Invalid as exc:
        report.add(name, False, *exc.args)
        return None
    except ValueError:
        report.add(name, False, "记录不是 JSON", "the entry is not JSON")
        return None
    what = f" ({record.get('type')}, {record.get('time')})" if isinstance(record, dict) else ""
    report.add(name, True, f"已收录于日志第 {index} 号{what}", f"included in the log at index {index}{what}")
    return record


def check_artifacts(bundle: Bundle, wanted: dict[str, tuple[Any, str]], report: Report) -> None:
    for digest, (size, entry) in sorted(wanted.items()):
        found = [
            n for n in bundle.names() if n.startswith(f"artifacts/{digest}.") or n == f"artifacts/{digest}"
        ]
        if not found:
            report.add(
                f"artifacts/{digest}", False, f"缺少 {entry} 所指的附件", f"missing what {entry} names"
            )
        for name in found:
            data = bundle.read(name) or b""
            if hashlib.sha256(data).hexdigest() != digest:
                report.add(
                    name, False, "附件内容与日志中的哈希不符", "content differs from the log's SHA-256"
                )
            elif isinstance(size, int) and len(data) != size:
                report.add(name, False, "附件大小与日志记录不符", "size differs from the log record")
            else:
                report.add(name, True, "附件 SHA-256 与日志一致", "SHA-256 matches the log")


def check_files(bundle: Bundle, manifest: dict[str, Any], report: Report) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict):
        return
    bad = 0
    for name, digest in sorted(files.items()):
        content = bundle.read(name)
        if content is None or hashlib.sha256(content).hexdigest() != digest:
            bad += 1
            report.add(name, False, "文件缺失或与清单哈希不符", "missing, or differs from the manifest hash")
    if not bad:
        report.add("manifest.json", True, f"{len(files)} 个文件哈希一致", f"{len(files)} file hashes match")
    for name in bundle.names():
        if name != "manifest.json" and name not in files:
            report.add(name, None, "清单未列出此文件", "not listed in the manifest")


def verify(bundle: Bundle, pinned: str | None, report: Report) -> dict[str, Any]:
    manifest = check_manifest(bundle, report)
    text, size, root = check_checkpoint(bundle, manifest, pinned, report)
    facts: dict[str, Any] = {"size": size, "root_hex": root.hex(), "timestamp_checked": False}
    wanted: dict[str, tuple[Any, str]] = {}  # artifact SHA-256 -> (size, first entry naming it)
    for name in bundle.names():
        if ENTRY_NAME.fullmatch(name):
            record = check_entry(bundle, name, (text, size, root), report)
            artifact = record.get("artifact") if isinstance(record, dict) else None
            if isinstance(artifact, dict) and isinstance(artifact.get("sha256"), str):
                wanted.setdefault(artifact["sha256"].lower(), (artifact.get("size"), name))
    check_artifacts(bundle, wanted, report)
    check_files(bundle, manifest, report)
    token = bundle.read("checkpoint.tsr")
    if token is not None:
        ok, detail = check_timestamp(token, bundle.read("tsa-chain.pem"), text.encode("utf-8"))
        zh = {True: f"可信时间戳有效，时间 {detail}", False: "可信时间戳无效", None: "未校验可信时间戳"}[ok]
        report.add("checkpoint.tsr", ok, zh, ("RFC 3161 timestamp valid: " if ok else "") + detail)
        facts["timestamp_checked"] = ok is not None
    return facts


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = argparse.ArgumentParser(description="校验清债电子证据包 / verify a Qingzhai evidence bundle")
    parser.add_argument("bundle", nargs="?", help="证据包 zip 或解压目录 / bundle zip or extracted directory")
    parser.add_argument("--key", help="机构公布的日志公钥 / the log key the institution published (vkey)")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出 / print JSON")
    args = parser.parse_args(argv)
    try:
        import cryptography  # noqa: F401
    except ImportError:
        print("需要 cryptography / requires cryptography: pip install cryptography", file=sys.stderr)
        return EXIT_USAGE
    try:
        bundle = Bundle(Path(args.bundle) if args.bundle else Path(__file__).resolve().parent)
    except (UsageError, OSError, zipfile.BadZipFile) as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    report = Report(quiet=args.json)
    facts = verify(bundle, args.key, report)
    failure = report.first_failure()
    passed = sum(1 for i in report.items if i["ok"])
    if args.json:
        result = {"ok": failure is None, **facts, "checks": report.items, "first_failure": failure}
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif failure is None:
        print(f"结果：全部 {passed} 项校验通过 / RESULT: all {passed} checks passed")
    else:
        print(
            f"结果：校验未通过，首个失败项 {failure['item']}：{failure['zh']} / "
            f"RESULT: FAILED, first at {failure['item']}: {failure['en']}"
        )
    return EXIT_OK if failure is None else EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
