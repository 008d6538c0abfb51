"""Demo data of the contact centre: removed before the demo cases are reset (campaign messages and bot
calls protect their cases)."""

from __future__ import annotations


def contact_demo_delete() -> int:
    """Delete the bot calls and campaign messages of the demo cases, and campaigns left empty."""
    from qingzhai.contact.models import BotCall, Campaign, CampaignMessage
    from qingzhai.portfolio.demo.reference import DEMO_CREDITOR_CODES

    demo = {"case__portfolio__creditor__code__in": DEMO_CREDITOR_CODES}
    count = CampaignMessage.objects.filter(**demo).delete()[0]
    count += BotCall.objects.filter(**demo).delete()[0]
    Campaign.objects.filter(messages__isnull=True, messages_total__gt=0).delete()
    return count
