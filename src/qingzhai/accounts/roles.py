"""Roles and what each may do. Pure: no Django import."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    COLLECTOR = "collector"
    LEGAL = "legal"
    COMPLIANCE = "compliance"
    AUDITOR = "auditor"
    CREDITOR_VIEWER = "creditor_viewer"


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.ADMIN: ("管理员", "Administrator"),
    Role.SUPERVISOR: ("主管", "Supervisor"),
    Role.COLLECTOR: ("催收员", "Collector"),
    Role.LEGAL: ("法务", "Legal officer"),
    Role.COMPLIANCE: ("合规", "Compliance officer"),
    Role.AUDITOR: ("审计", "Auditor"),
    Role.CREDITOR_VIEWER: ("委托方", "Creditor client"),
}

# Capabilities. "cases.view_all": sees every case; otherwise the case selector narrows by role.
VIEW_ALL = "cases.view_all"
VIEW_ASSIGNED = "cases.view_assigned"
VIEW_OWN_CREDITOR = "cases.view_own_creditor"
WORK_CASE = "cases.work"  # log activities, record promises and payments
CHANGE_STAGE = "cases.change_stage"
ASSIGN = "cases.assign"
REVERSE_PAYMENT = "payments.reverse"
REVEAL_PII = "pii.reveal"
IMPORT = "intake.import"
MANAGE_REFERENCE = "reference.manage"  # creditors, portfolios
VIEW_AUDIT = "audit.view"
MANAGE_USERS = "users.manage"
COMPLIANCE_VIEW = "compliance.view"  # alerts, denied contacts, dishonest matches, statistics, policy packs
COMPLIANCE_ALERTS = "compliance.alerts"  # acknowledge, coach, escalate, close alerts
COMPLIANCE_MANAGE = "compliance.manage"  # creditor policy parameters, dishonest-list imports, clear matches
PROTECTION_SET = (
    "compliance.protection"  # bankruptcy, death, incapacity, hardship, time bar, resolve disputes
)

EVIDENCE_VIEW = "evidence.view"  # a case's evidence entries and their proofs
EVIDENCE_BUNDLE = "evidence.bundle"  # export a case's court bundle
EVIDENCE_AUDIT = "evidence.audit"  # the ledger's auditor page; run a verification
EVIDENCE_MANAGE = "evidence.manage"  # register witnesses; append files to the log

PROFILE_VIEW = "profile.view"  # a debtor's 360 profile: indicators, flags, charts, sources
PROFILE_INGEST = "profile.ingest"  # upload bills, statements and registry records for a debtor
PROFILE_MANAGE = "profile.manage"  # legal hold on profile sources; run the retention purge

SCORING_VIEW = "scoring.view"  # repayment scores with reasons, the model registry, cards, runs, drift
SCORING_MANAGE = "scoring.manage"  # train, register, promote and retire models; start runs; acknowledge drift

LEGAL_VIEW = (
    "legal.view"  # a case's legal route, proceedings, deadlines, fee and interest figures; legal KPIs
)
LEGAL_MANAGE = "legal.manage"  # open proceedings, record their events, generate court documents

CAMPAIGN_VIEW = "contact.campaign_view"  # reminder campaigns: their progress and results
CAMPAIGN_MANAGE = "contact.campaign_manage"  # create, plan, start, pause, resume and cancel campaigns
CONTACT_WALL = "contact.wall"  # the supervisors' live wall of bot and human calls with emotion and alerts

_ALL = {
    VIEW_ALL,
    WORK_CASE,
    CHANGE_STAGE,
    ASSIGN,
    REVERSE_PAYMENT,
    REVEAL_PII,
    IMPORT,
    MANAGE_REFERENCE,
    VIEW_AUDIT,
    MANAGE_USERS,
    COMPLIANCE_VIEW,
    COMPLIANCE_ALERTS,
    COMPLIANCE_MANAGE,
    PROTECTION_SET,
    EVIDENCE_VIEW,
    EVIDENCE_BUNDLE,
    EVIDENCE_AUDIT,
    EVIDENCE_MANAGE,
    PROFILE_VIEW,
    PROFILE_INGEST,
    PROFILE_MANAGE,
    SCORING_VIEW,
    SCORING_MANAGE,
    LEGAL_VIEW,
    LEGAL_MANAGE,
    CAMPAIGN_VIEW,
    CAMPAIGN_MANAGE,
    CONTACT_WALL,
}

CAPABILITIES: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(_ALL),
    Role.SUPERVISOR: frozenset(
        {
            VIEW_ALL,
            WORK_CASE,
            CHANGE_STAGE,
            ASSIGN,
            REVERSE_PAYMENT,
            REVEAL_PII,
            IMPORT,
            MANAGE_REFERENCE,
            COMPLIANCE_VIEW,
            COMPLIANCE_ALERTS,
            PROTECTION_SET,
            EVIDENCE_VIEW,
            EVIDENCE_BUNDLE,
            PROFILE_VIEW,
            PROFILE_INGEST,
            PROFILE_MANAGE,
            SCORING_VIEW,
            SCORING_MANAGE,
            LEGAL_VIEW,
            LEGAL_MANAGE,
            CAMPAIGN_VIEW,
            CAMPAIGN_MANAGE,
            CONTACT_WALL,
        }
    ),
    Role.COLLECTOR: frozenset(
        {
            VIEW_ASSIGNED,
            WORK_CASE,
            CHANGE_STAGE,
            REVEAL_PII,
            EVIDENCE_VIEW,
            PROFILE_VIEW,
            PROFILE_INGEST,
            SCORING_VIEW,
            LEGAL_VIEW,
        }
    ),
    Role.LEGAL: frozenset(
        {
            VIEW_ALL,
            WORK_CASE,
            CHANGE_STAGE,
            REVEAL_PII,
            PROTECTION_SET,
            EVIDENCE_VIEW,
            EVIDENCE_BUNDLE,
            PROFILE_VIEW,
            PROFILE_INGEST,
            PROFILE_MANAGE,
            SCORING_VIEW,
            LEGAL_VIEW,
            LEGAL_MANAGE,
        }
    ),
    Role.COMPLIANCE: frozenset(
        {
            VIEW_ALL,
            REVEAL_PII,
            VIEW_AUDIT,
            COMPLIANCE_VIEW,
            COMPLIANCE_ALERTS,
            COMPLIANCE_MANAGE,
            PROTECTION_SET,
            EVIDENCE_VIEW,
            EVIDENCE_BUNDLE,
            EVIDENCE_AUDIT,
            EVIDENCE_MANAGE,
            PROFILE_VIEW,
            PROFILE_MANAGE,
            SCORING_VIEW,
            LEGAL_VIEW,
            CAMPAIGN_VIEW,
            CONTACT_WALL,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            VIEW_ALL,
            VIEW_AUDIT,
            COMPLIANCE_VIEW,
            EVIDENCE_VIEW,
            EVIDENCE_AUDIT,
            PROFILE_VIEW,
            SCORING_VIEW,
            LEGAL_VIEW,
            CAMPAIGN_VIEW,
        }
    ),
    # A creditor client follows the legal progress of its own cases (no documents: they carry PII).
    Role.CREDITOR_VIEWER: frozenset({VIEW_OWN_CREDITOR, LEGAL_VIEW}),
}

# Roles that must use TOTP two-factor authentication (unless switched off for a demo).
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.COMPLIANCE})


def can(role: str, capability: str) -> bool:
    try:
        return capability in CAPABILITIES[Role(role)]
    except ValueError:
        return False
