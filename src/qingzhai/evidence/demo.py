"""Evidence demo on top of the portfolio and compliance demos: the history of the most active cases is
sealed into the log, and a demo witness cosigns the latest checkpoint, so the evidence tab, the auditor
page and the court bundle have something real to show."""

from __future__ import annotations

import time
from typing import Any

from django.db.models import Count

from qingzhai.evidence import backfill, note, selectors, sequencer, services

DEMO_WITNESS = "witness.demo.qingzhai.local"


def evidence_demo_load(*, cases: int = 60) -> dict[str, Any]:
    from qingzhai.portfolio.models import Case

    chosen = list(
        Case.objects.annotate(n=Count("activities")).order_by("-n", "pk").values_list("pk", flat=True)[:cases]
    )
    counts = backfill.seal(case_ids=chosen, actor="demo")
    sequencer.run()
    latest = selectors.latest_checkpoint()
    if latest is not None:
        signer = note.CosignatureSigner.generate(DEMO_WITNESS)
        from qingzhai.evidence.models import Witness

        if not Witness.objects.filter(name=DEMO_WITNESS).exists():
            services.witness_add(
                actor="demo",
                vkey=signer.verifier().vkey(),
                description="演示见证方（密钥仅用于演示）/ demo witness",
            )
            text = note.parse(latest.note).text
            services.cosignatures_add(
                cosigned_note=note.add_signatures(latest.note, signer.cosign(text, int(time.time())))
            )
    return {"sealed": sum(counts.values()), "log_size": sequencer.stored_size()}
