"""Contact-centre jobs. Each takes ids, calls services, and is safe to run twice.

- `campaign_plan`: plans a campaign chunk after chunk of cases (by id), a few chunks per run, and queues
  itself again while cases remain (each run's chunks are separate transactions: a crash loses nothing).
- `campaign_dispatch`: sends a running campaign's due messages in batches, a bounded number per run, and
  queues itself again while due messages remain; the minute tick (`campaigns_tick`) picks up messages that
  become due later, and completes a campaign with nothing left to send.
"""

from __future__ import annotations

from celery import shared_task

PLAN_CHUNKS_PER_RUN = 20
SEND_BATCHES_PER_RUN = 50


@shared_task(name="qingzhai.contact.tasks.campaign_plan")
def campaign_plan(campaign_id: int) -> int:
    from qingzhai.contact.services.campaigns import campaign_plan_chunk

    done = 0
    while done < PLAN_CHUNKS_PER_RUN:
        if not campaign_plan_chunk(campaign_id=campaign_id):
            return done
        done += 1
    campaign_plan.delay(campaign_id)
    return done


@shared_task(name="qingzhai.contact.tasks.campaign_dispatch")
def campaign_dispatch(campaign_id: int) -> int:
    from qingzhai.contact.services.campaign_send import campaign_finish_if_done, campaign_send_due

    claimed = 0
    for _ in range(SEND_BATCHES_PER_RUN):
        batch = campaign_send_due(campaign_id=campaign_id)
        claimed += batch.claimed
        if batch.claimed == 0:
            campaign_finish_if_done(campaign_id=campaign_id)
            return claimed
    campaign_dispatch.delay(campaign_id)
    return claimed


@shared_task(name="qingzhai.contact.tasks.campaigns_tick")
def campaigns_tick() -> int:
    from qingzhai.contact.models import Campaign

    running = list(Campaign.objects.filter(status=Campaign.Status.RUNNING).values_list("pk", flat=True))
    for pk in running:
        campaign_dispatch.delay(pk)
    return len(running)
