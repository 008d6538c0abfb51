"""Court documents: PDF documents per second from our renderer against headless Chromium printing the same
HTML to PDF in the same run, one process, one document at a time.

Ours: the kind's Django template filled with a case context and laid out by WeasyPrint (embedding the
subset of Noto Serif/Sans CJK SC it uses), as `document_generate` does, without the database writes.
Also timed: the same document as DOCX (python-docx walking the same HTML).
Peer: Chromium (Debian's /usr/bin/chromium through Playwright, browser and tab kept warm across documents)
printing the identical HTML with `page.pdf(format="A4")`, which also embeds the CJK font subsets. Both
outputs are read back (pdftotext when installed) to check that each holds the parties and the amount.

    .venv/bin/python benchmarks/legal_documents.py [--docs 40] [--kind payment_order_application]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
CHROMIUM = "/usr/bin/chromium"


def configure(data_dir: Path) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["QINGZHAI_DATA_DIR"] = str(data_dir)
    os.environ["QINGZHAI_ALLOW_GENERATED_SECRETS"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingzhai.config.settings"
    import django

    django.setup()


def values(kind: str, debts: int) -> dict[str, Any]:
    """A context like `context.build` makes for a case with `debts` debts, built without a database."""
    from qingzhai.legal.documents import numerals
    from qingzhai.legal.documents.catalog import KINDS
    from qingzhai.legal.documents.context import date_cn, money
    from qingzhai.legal.documents.parties import date_zh, enterprise, person
    from qingzhai.legal.fees import fees_fen

    spec = KINDS[kind]
    rows = [(1_000_000 + 12_345 * i, 50_000 + 77 * i, 20_000, 10_000) for i in range(debts)]
    parts = {
        name: sum(r[k] for r in rows) for k, name in enumerate(("principal", "interest", "penalty", "fee"))
    }
    claim = sum(parts.values())
    today = date(2026, 3, 5)
    return {
        "kind": kind,
        "title": spec.zh,
        "applicant": enterprise(
            role=spec.applicant_zh,
            name="上海浦江商业银行股份有限公司",
            uscc="91310000MA1FL0000N",
            legal_representative="李建国",
            address="上海市浦东新区陆家嘴环路1000号",
            phone="021-60000000",
        ),
        "respondent": person(
            role=spec.respondent_zh,
            name="王小明",
            id_number="110105198805170031",
            address="上海市黄浦区南京东路100号1201室",
        ),
        "court": "上海市黄浦区人民法院",
        "debts": [
            {
                "contract_no": f"JK2024-{i:04d}",
                "product": "个人消费贷款",
                "principal": numerals.figures(r[0]),
                "interest": numerals.figures(r[1]),
                "penalty": numerals.figures(r[2]),
                "fee": numerals.figures(r[3]),
                "total": numerals.figures(sum(r)),
            }
            for i, r in enumerate(rows)
        ],
        "totals": {name: money(v) for name, v in parts.items()},
        "claim": money(claim),
        "fee": {"zh": "申请费", **money(fees_fen(claim)[spec.fee_key])} if spec.fee_key else None,
        "proceeding": None,
        "instrument": {"zh": "", "court": "", "case_no": "", "text": ""},
        "promises": [],
        "today": date_zh(today),
        "today_cn": date_cn(today),
        "pay_by": date_zh(today.replace(day=12)),
        "reply_days": 7,
    }


def timed(fn: Callable[[], bytes], n: int) -> tuple[float, list[float], bytes]:
    fn()  # warm: fonts loaded, templates compiled
    times = []
    data = b""
    for _ in range(n):
        t0 = time.perf_counter()
        data = fn()
        times.append(time.perf_counter() - t0)
    return n / sum(times), times, data


def readback(data: bytes, must: list[str]) -> str:
    if not shutil.which("pdftotext"):
        return "not checked (no pdftotext)"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        text = "".join(
            subprocess.run(
                ["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True
            ).stdout.split()
        )
    missing = [m for m in must if m not in text]
    return "ok" if not missing else f"MISSING {missing}"


def pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40, help="documents per renderer")
    parser.add_argument("--kind", default="payment_order_application")
    parser.add_argument("--debts", type=int, default=3, help="debts listed in the document")
    args = parser.parse_args()
    configure(Path(tempfile.mkdtemp(prefix="qz-bench-docs-")))
    import weasyprint

    from qingzhai.legal.documents import render

    ctx = values(args.kind, args.debts)
    html, _, _ = render.render_html(args.kind, ctx)
    must = ["王小明", "上海浦江商业银行股份有限公司", ctx["claim"]["figures"], ctx["claim"]["capital"]]
    print(
        f"{args.docs} × {args.kind} ({args.debts} debts, claim ¥{ctx['claim']['figures']}); "
        f"WeasyPrint {weasyprint.__version__}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs"
    )
    rows = []
    ours_rate, ours_t, ours_pdf = timed(lambda: render.render(args.kind, ctx, "pdf").data, args.docs)
    rows.append(("ours: template + WeasyPrint PDF", ours_rate, ours_t, ours_pdf, True))
    docx_rate, docx_t, docx = timed(lambda: render.render(args.kind, ctx, "docx").data, args.docs)
    rows.append(("ours: template + python-docx DOCX", docx_rate, docx_t, docx, False))
    peer_rate = None
    if Path(CHROMIUM).exists():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            tab = browser.new_page()

            def peer() -> bytes:
                tab.set_content(html, wait_until="load")
                return tab.pdf(format="A4", print_background=True, prefer_css_page_size=True)

            peer_rate, peer_t, peer_pdf = timed(peer, args.docs)
            browser.close()
        rows.append(("peer: Chromium page.pdf (same HTML)", peer_rate, peer_t, peer_pdf, True))
    else:
        print(f"peer skipped: {CHROMIUM} not installed")
    print()
    print("| renderer | docs/s | median ms | p95 ms | bytes | pages | read back |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, rate, times, data, is_pdf in rows:
        ms = sorted(t * 1000 for t in times)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        print(
            f"| {label} | {rate:.1f} | {statistics.median(ms):.1f} | {p95:.1f} | {len(data):,} | "
            f"{pages(data) if is_pdf else '—'} | {readback(data, must) if is_pdf else '—'} |"
        )
    if peer_rate:
        print(f"\nPDF ratio ours / peer: {ours_rate / peer_rate:.2f}× (above 1: ours is faster)")


if __name__ == "__main__":
    main()
