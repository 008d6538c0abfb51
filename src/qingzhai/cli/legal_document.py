"""`qingzhai legal document`: a court document generated from a case, as PDF or DOCX, recorded in the
evidence ledger.

Exit status: 0 written; 2 refused (unknown case or kind, no court for a court filing, nothing owed,
unwritable output), with the message in Chinese and English and never a traceback. The output file is
written whole or not at all.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import typer
from rich.console import Console

from qingzhai.cli import setup_django
from qingzhai.cli.errors import fail
from qingzhai.cli.legal import legal_app

console = Console()


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, so no partial file is left."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@legal_app.command("document")
def document_cmd(
    case: int = typer.Option(..., "--case", help="案件编号 / case id"),
    kind: str = typer.Option(
        ...,
        "--kind",
        help="文书类型 / kind: demand_letter 催款函, lawyer_letter 律师函, payment_order_application "
        "支付令申请书, complaint 民事起诉状, preservation_application 财产保全申请书, "
        "enforcement_application 强制执行申请书, mediation_agreement 调解协议, repayment_agreement 还款协议",
    ),
    fmt: str = typer.Option("pdf", "--format", help="pdf | docx"),
    output: Path = typer.Option(..., "-o", "--output", help="输出文件 / output file"),
    court: str | None = typer.Option(
        None,
        "--court",
        help="受理法院（默认取案件最近的法律程序）/ court (default: the case's latest proceeding)",
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """生成法律文书（PDF / DOCX）并存证 / generate a court document from the case and record it in the
    evidence ledger."""
    fmt = fmt.strip().lower()
    if fmt not in ("pdf", "docx"):
        fail(
            as_json,
            "unknown_format",
            f"未知的文件格式：{fmt}（可选 pdf、docx）",
            f"Unknown format: {fmt} (pdf or docx)",
            {"format": ["pdf", "docx"]},
        )
    target = output.expanduser().resolve()
    if target.is_dir() or not target.parent.is_dir():
        fail(
            as_json,
            "bad_output",
            f"无法写入输出文件：{output}",
            f"Cannot write the output file: {output}",
            {"output": [str(output)]},
        )
    setup_django()
    from qingzhai.core import audit
    from qingzhai.core.errors import DomainError
    from qingzhai.legal.services.documents import document_generate

    try:
        with audit.source("cli"):
            document, data = document_generate(case_id=case, kind=kind, fmt=fmt, actor="cli", court=court)
    except DomainError as exc:
        fail(as_json, exc.code, exc.zh, exc.en, exc.fields)
    try:
        _write(target, data)
    except OSError as exc:
        fail(
            as_json,
            "bad_output",
            f"无法写入输出文件：{output}（{exc.strerror}）",
            f"Cannot write the output file: {output} ({exc.strerror})",
            {"output": [str(output)]},
        )
    payload = {
        "id": document.pk,
        "sha256": document.sha256,
        "size": document.size,
        "path": str(target),
        "kind": document.kind,
        "format": document.fmt,
        "court": document.court,
        "claim_fen": document.claim_fen,
    }
    if as_json:
        print(json.dumps(payload, ensure_ascii=False))
        return
    console.print(
        f"[bold]{document.title}[/] #{document.pk} → {target}\n"
        f"{document.size:,} bytes, sha256 {document.sha256}\n"
        f"已存证 / recorded in the evidence ledger",
        soft_wrap=True,
    )
