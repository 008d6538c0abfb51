"""可联系性 / Contactability: contact points on file and how contact attempts went. Pure module.

An attempt is any activity but a note; a call is a ``call`` or ``bot_call``. A right-party contact (RPC)
is an activity with the debtor (party ``debtor``) whose outcome is connected, promise, dispute, paid or
refused. Windows date activities by ``occurred_at``.
"""

from __future__ import annotations

from .helpers import any_, c, count, latest_days, ratio, win
from .model import Builder

b = Builder("contactability")
con = b.using(source="contacts", purpose="contact", frame="contacts")
act = b.using(source="activities", purpose="contact", frame="activities")
DEBTOR = c("party") == "debtor"
EMERGENCY = c("party") == "emergency"

con(
    "ct_phones_total",
    ("本人联系方式数", "Debtor's contact points"),
    ("登记的债务人本人联系方式数", "Contact points on file for the debtor in person"),
    "count",
    None,
    count(DEBTOR),
    fill=0,
)
con(
    "ct_phones_valid",
    ("本人有效联系方式数", "Valid contact points"),
    ("状态为有效的债务人本人联系方式数", "The debtor's own contact points whose status is valid"),
    "count",
    None,
    count(DEBTOR & (c("status") == "valid")),
    fill=0,
)
con(
    "ct_wrong_numbers",
    ("错号数", "Wrong numbers"),
    ("状态为错号的联系方式数（各方）", "Contact points of any party marked wrong number"),
    "count",
    None,
    count(c("status") == "wrong_number"),
    fill=0,
)
con(
    "ct_refused_contacts",
    ("拒绝联系数", "Contact refused"),
    ("状态为拒绝联系的联系方式数（各方）", "Contact points of any party whose holder refused contact"),
    "count",
    None,
    count(c("status") == "refused"),
    fill=0,
)
con(
    "ct_emergency_valid",
    ("有效紧急联系人数", "Valid emergency contacts"),
    ("状态为有效的紧急联系人数", "Emergency contacts whose status is valid"),
    "count",
    None,
    count(EMERGENCY & (c("status") == "valid")),
    fill=0,
)
con(
    "ct_emergency_with_consent",
    ("已同意的紧急联系人数", "Emergency contacts with consent"),
    ("记录了本人同意的紧急联系人数", "Emergency contacts whose consent is on file"),
    "count",
    None,
    count(EMERGENCY & c("consent").fill_null(False)),
    fill=0,
)
con(
    "ct_has_primary_valid",
    ("主联系方式有效", "Primary contact point valid"),
    ("债务人的主联系方式状态为有效", "The debtor's primary contact point is valid"),
    "bool",
    None,
    any_(DEBTOR & c("is_primary").fill_null(False) & (c("status") == "valid")),
    fill=False,
)

ATTEMPT = c("attempt")
CALL = c("call")
RPC = c("rpc")
for w in (3, 12):
    act(
        f"ct_attempts_{w}m",
        (f"触达尝试次数（{w}个月）", f"Contact attempts ({w}m)"),
        (
            f"近{w}个月的触达尝试（电话、短信、信函、上门、邮件、机器人外呼）次数",
            f"Contact attempts (calls, SMS, letters, visits, email, bot calls) in the last {w} months",
        ),
        "count",
        w,
        count(ATTEMPT & win(w)),
        fill=0,
    )
for w in (3, 12):
    act(
        f"ct_calls_{w}m",
        (f"外呼次数（{w}个月）", f"Calls ({w}m)"),
        (f"近{w}个月人工与机器人外呼次数", f"Calls by collectors and voice bots in the last {w} months"),
        "count",
        w,
        count(CALL & win(w)),
        fill=0,
    )
for w in (3, 12):
    act(
        f"ct_rpc_{w}m",
        (f"本人接通次数（{w}个月）", f"Right-party contacts ({w}m)"),
        (
            f"近{w}个月与债务人本人的有效接触次数",
            f"Right-party contacts with the debtor in the last {w} months",
        ),
        "count",
        w,
        count(RPC & win(w)),
        fill=0,
    )
for w in (3, 12):
    act(
        f"ct_rpc_rate_{w}m",
        (f"本人接通率（{w}个月）", f"Right-party contact rate ({w}m)"),
        (
            f"近{w}个月外呼中接通债务人本人的比例；无外呼时无定义",
            f"Share of the last {w} months' calls that reached the debtor; undefined without calls",
        ),
        "ratio",
        w,
        ratio(count(CALL & RPC & win(w)), count(CALL & win(w))),
    )
act(
    "ct_no_answer_rate_12m",
    ("无人接听率（12个月）", "No-answer rate (12m)"),
    (
        "近12个月外呼中无人接听的比例；无外呼时无定义",
        "Share of the last 12 months' calls that were not answered; undefined without calls",
    ),
    "ratio",
    12,
    ratio(count(CALL & (c("outcome") == "no_answer") & win(12)), count(CALL & win(12))),
)
act(
    "ct_wrong_number_outcomes_12m",
    ("错号结果次数（12个月）", "Wrong-number outcomes (12m)"),
    (
        "近12个月结果为错号的触达次数",
        "Contact attempts of the last 12 months whose outcome was a wrong number",
    ),
    "count",
    12,
    count((c("outcome") == "wrong_number") & win(12)),
    fill=0,
)
act(
    "ct_days_since_last_rpc",
    ("距最近本人接通天数", "Days since last right-party contact"),
    (
        "最近一次本人有效接触到基准日的天数；从未接通时无定义",
        "Days from the latest right-party contact to as_of; undefined when there was none",
    ),
    "days",
    None,
    latest_days(RPC),
)
act(
    "ct_days_since_last_attempt",
    ("距最近触达尝试天数", "Days since last attempt"),
    (
        "最近一次触达尝试到基准日的天数；无尝试时无定义",
        "Days from the latest contact attempt to as_of; undefined when there was none",
    ),
    "days",
    None,
    latest_days(ATTEMPT),
)
for kind, zh, en in (("visit", "上门", "Visits"), ("letter", "信函", "Letters")):
    act(
        f"ct_{kind}s_12m",
        (f"{zh}次数（12个月）", f"{en} (12m)"),
        (f"近12个月的{zh}次数", f"{en} in the last 12 months"),
        "count",
        12,
        count((c("kind") == kind) & win(12)),
        fill=0,
    )
act(
    "ct_third_party_contacts_12m",
    ("第三方触达次数（12个月）", "Third-party contacts (12m)"),
    (
        "近12个月对无关第三方的触达次数（合规关注）",
        "Contact attempts on unrelated third parties in the last 12 months (a compliance watch point)",
    ),
    "count",
    12,
    count(ATTEMPT & (c("party") == "third_party") & win(12)),
    fill=0,
)

INDICATORS = b.items
