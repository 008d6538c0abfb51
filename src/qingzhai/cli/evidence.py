"""`qingzhai evidence ...`: append to the evidence log, print checkpoints, proofs and leaves, verify the
log, export a case's court bundle, run the sequencer. Exit status: 0 done, 1 verification found a problem,
2 unusable input."""

from __future__ import annotations

import base64
import json
import sys
import time
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from qingzhai.cli import app, setup_django

evidence_app = typer.Typer(
    help="证据日志 / Evidence ledger: 追加、检查点、证明、校验、证据包 / append, checkpoint, prove, verify, bundle",
    no_args_is_help=True,
)
app.add_typer(evidence_app, name="evidence")
witness_app = typer.Typer(help="见证方 / Witnesses", no_args_is_help=True)
evidence_app.add_typer(witness_app, name="witness")
console = Console()
err_console = Console(stderr=True)


def _fail(as_json: bool, code: str, message: str, fields: Any = None, exit_code: int = 2) -> None:
    if as_json:
        print(json.dumps({"code": code, "message": message, "fields": fields or {}}, ensure_ascii=False))
    else:
        err_console.print(f"[red]{message}[/]")
    raise typer.Exit(exit_code)


def _domain(as_json: bool, exc: Any) -> None:
    _fail(as_json, exc.code, exc.message, exc.fields)


def _b64(values: list[bytes]) -> list[str]:
    return [base64.b64encode(v).decode() for v in values]


@evidence_app.command("append")
def append(
    files: list[Path] = typer.Argument(..., help="要存证的文件 / files to log"),
    kind: str = typer.Option("file", "--type", help="证据类型 / evidence type"),
    case: int | None = typer.Option(None, "--case", help="案件编号 / case id"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """把文件存入证据库并记入日志 / store files as artifacts and log one leaf each."""
    setup_django()
    from qingzhai.core import audit
    from qingzhai.core.errors import DomainError
    from qingzhai.evidence import services

    payload = []
    for path in files:
        try:
            payload.append((path.name, path.read_bytes()))
        except OSError as exc:
            _fail(
                as_json,
                "unreadable",
                f"无法读取文件 / cannot read file: {path} ({exc.strerror})",
                {"file": [str(path)]},
            )
    try:
        with audit.source("cli"):
            added = services.files_append(actor="cli", files=payload, kind=kind, case_id=case)
    except DomainError as exc:
        _domain(as_json, exc)
        return
    result = {"entries": [{"index": e.index, "leaf_hash": e.leaf_hash.hex()} for e in added]}
    if as_json:
        print(json.dumps(result))
    else:
        for path, e in zip(files, added, strict=True):
            console.print(f"{e.index}\t{e.leaf_hash.hex()}\t{path}")


@evidence_app.command("checkpoint")
def checkpoint_cmd() -> None:
    """打印最新的已签名检查点 / print the latest signed checkpoint note."""
    setup_django()
    from qingzhai.evidence import selectors, sequencer

    sequencer.run()
    latest = selectors.latest_checkpoint()
    if latest is None:
        _fail(False, "log_empty", "证据日志还没有检查点 / the evidence log has no checkpoint yet")
        return
    print(selectors.cosigned_note(latest), end="")


@evidence_app.command("prove")
def prove(
    index: int = typer.Argument(..., help="条目索引（从 0 起）/ leaf index (0-based)"),
    size: int | None = typer.Option(None, "--size", help="日志大小（默认最新检查点）/ tree size"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """包含证明 / inclusion proof of a leaf in a signed checkpoint."""
    setup_django()
    from qingzhai.core.errors import DomainError
    from qingzhai.evidence import selectors

    try:
        found = selectors.inclusion(index, size)
    except DomainError as exc:
        _domain(as_json, exc)
        return
    print(json.dumps(found.as_json()) if as_json else found.tlog_proof(), end="\n" if as_json else "")


@evidence_app.command("consistency")
def consistency(
    old: int = typer.Argument(..., help="旧大小 / old size"),
    new: int = typer.Argument(..., help="新大小 / new size"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """一致性证明 / consistency proof between two tree sizes."""
    setup_django()
    from qingzhai.core.errors import DomainError
    from qingzhai.evidence import selectors

    try:
        proof = selectors.consistency(old, new)
    except DomainError as exc:
        _domain(as_json, exc)
        return
    if as_json:
        print(json.dumps({"old": old, "new": new, "proof": _b64(proof)}))
    else:
        print("\n".join(_b64(proof)))


@evidence_app.command("leaf")
def leaf(
    index: int = typer.Argument(..., help="条目索引 / leaf index"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """打印存储的条目记录（原始字节，无换行）/ print the stored leaf record (exact bytes, no newline)."""
    setup_django()
    from qingzhai.core.errors import DomainError
    from qingzhai.evidence import selectors

    try:
        entry = selectors.entry_get(index)
    except DomainError:
        _fail(as_json, "not_found", f"没有索引为 {index} 的条目 / no leaf at index {index}", exit_code=2)
        return
    if as_json:
        print(json.dumps(selectors.entry_record(entry), ensure_ascii=False, sort_keys=True))
    else:  # the exact stored bytes, so `> leaf.json` gives what the leaf hash covers
        sys.stdout.write(bytes(entry.data).decode("utf-8"))
        sys.stdout.flush()


@evidence_app.command("key")
def key() -> None:
    """打印日志的验证公钥 / print the log's verifier key."""
    setup_django()
    from qingzhai.evidence import signing

    print(signing.vkey())


@evidence_app.command("verify")
def verify_cmd(
    full: bool = typer.Option(False, "--full", help="同时校验每个证据文件 / also re-hash every artifact"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """按最新检查点重算日志 / recompute the log against its checkpoints; exit 1 naming the first problem."""
    setup_django()
    from qingzhai.evidence import sequencer, services

    sequencer.run()
    _, report = services.verification_run(actor="cli", full=full)
    first = report.first()
    if as_json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "size": report.size,
                    "checkpoint_size": report.checkpoint_size,
                    "checkpoints": report.checkpoints,
                    "artifacts_checked": report.artifacts_checked,
                    "seconds": round(report.seconds, 3),
                    "first_bad_index": first.index if first else None,
                    "problems": [
                        {"index": p.index, "kind": p.kind, "detail": p.detail} for p in report.problems
                    ],
                },
                ensure_ascii=False,
            )
        )
    elif report.ok:
        console.print(
            f"[green]完好 / intact[/]: {report.size} 条 / leaves, {report.checkpoints} 个检查点 / checkpoints"
            + (f", {report.artifacts_checked} 个文件 / artifacts" if full else "")
        )
    else:
        for problem in sorted(report.problems, key=lambda p: (p.index is None, p.index or 0)):
            err_console.print(f"[red]{problem.text()}[/]")
    if not report.ok:
        raise typer.Exit(1)


@evidence_app.command("bundle")
def bundle(
    case_id: int = typer.Argument(..., help="案件编号 / case id"),
    output: Path = typer.Option(..., "-o", "--output", help="输出 zip 文件 / output zip file"),
) -> None:
    """导出案件的电子证据包 / export a case's court bundle."""
    setup_django()
    from qingzhai.core import audit
    from qingzhai.core.errors import DomainError
    from qingzhai.evidence import bundles

    try:
        with audit.source("cli"):
            data, _ = bundles.bundle_build(actor="cli", case_id=case_id)
    except DomainError as exc:
        _domain(False, exc)
        return
    tmp = output.with_name(output.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(output)
    console.print(f"{output} ({len(data)} bytes)")


@evidence_app.command("sequence")
def sequence(
    loop: bool = typer.Option(False, "--loop", help="持续运行 / keep running"),
    interval: float = typer.Option(1.0, "--interval", help="轮询间隔秒 / poll interval (s)"),
) -> None:
    """运行排序器：把待入日志的条目写入并签发检查点 / run the sequencer."""
    setup_django()
    from django.db import close_old_connections

    from qingzhai.evidence import sequencer

    while True:
        n = sequencer.run()
        if n:
            console.print(f"+{n} → {sequencer.stored_size()}")
        if not loop:
            break
        close_old_connections()
        time.sleep(interval)


@witness_app.command("add")
def witness_add(
    vkey: str = typer.Argument(..., help="见证方公钥 / the witness's verifier key"),
    description: str = typer.Option("", "--description", help="说明 / description"),
) -> None:
    """登记见证方 / register a witness."""
    setup_django()
    from qingzhai.core.errors import DomainError
    from qingzhai.evidence import services

    try:
        witness = services.witness_add(actor="cli", vkey=vkey, description=description)
    except DomainError as exc:
        _domain(False, exc)
        return
    console.print(f"{witness.name}")


@witness_app.command("list")
def witness_list() -> None:
    """列出见证方 / list witnesses."""
    setup_django()
    from qingzhai.evidence import selectors

    for status in selectors.witnesses():
        w = status.witness
        console.print(f"{w.name}\t{'active' if w.active else 'inactive'}\t{status.latest_size}\t{w.vkey}")


from qingzhai.cli import evidence_witness  # noqa: E402,F401
