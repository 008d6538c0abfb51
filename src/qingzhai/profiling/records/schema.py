"""The documented schema of every non-transaction source: one record kind per registry or declaration.

Pure module (no Django). A record is a flat dict with these fields (CSV columns or JSON keys). Types:
``str``, ``date`` (ISO ``YYYY-MM-DD``), ``fen`` (integer fen; CSV/JSON give yuan as ``"1234.56"`` in a
field named ``*_yuan`` or fen in ``*_fen``), ``float``, ``int``, ``bool``. ``required`` fields must be
present and non-empty. Personal identifiers (ID numbers) are never stored in records; people are named.

The `date_field` of a kind is the date the record's fact took effect; it bounds indicator windows and
retention.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # str, date, fen, float, int, bool
    required: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class KindSpec:
    key: str
    label_zh: str
    label_en: str
    fields: tuple[FieldSpec, ...]
    date_field: str
    doc: str = ""

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


F = FieldSpec

KINDS: dict[str, KindSpec] = {
    k.key: k
    for k in (
        KindSpec(
            "business",
            "工商登记",
            "Business registration",
            (
                F("company", "str", True, doc="enterprise name"),
                F("uscc", "str", doc="unified social credit code"),
                F(
                    "status",
                    "str",
                    True,
                    ("active", "revoked", "cancelled", "dissolved", "other"),
                    "存续 active, 吊销 revoked, 注销 cancelled",
                ),
                F("registered_capital_fen", "fen"),
                F("paid_in_capital_fen", "fen"),
                F("established_on", "date"),
                F("legal_representative", "str"),
                F(
                    "role",
                    "str",
                    True,
                    ("legal_representative", "shareholder", "director", "supervisor", "manager", "other"),
                    "the debtor's role in the company",
                ),
                F("stake_pct", "float", doc="the debtor's share in percent, 0-100"),
                F(
                    "change_type",
                    "str",
                    doc="for a change record: shareholder, legal_representative, "
                    "capital, status, address, other",
                ),
                F("change_date", "date"),
                F("change_before", "str"),
                F("change_after", "str"),
                F("as_of", "date", True, doc="date of the registry extract or of the change"),
            ),
            "as_of",
        ),
        KindSpec(
            "property",
            "不动产登记",
            "Real estate registry",
            (
                F("property_id", "str", True, doc="certificate or unit number"),
                F("owner", "str", True),
                F("owner_relation", "str", True, ("self", "spouse", "relative", "company", "other")),
                F("address", "str"),
                F("area_sqm", "float"),
                F("acquired_on", "date"),
                F("acquisition_price_fen", "fen"),
                F("reference_value_fen", "fen", doc="market or assessed value at the event date"),
                F("event", "str", True, ("holding", "acquisition", "transfer", "mortgage", "seizure")),
                F("event_date", "date", True),
                F("transferee", "str", doc="for a transfer: who received it"),
                F(
                    "transferee_relation",
                    "str",
                    doc="self, spouse, ex_spouse, relative, related_company, stranger",
                ),
                F("price_fen", "fen", doc="for a transfer: the price paid"),
                F("mortgage_fen", "fen"),
            ),
            "event_date",
        ),
        KindSpec(
            "vehicle",
            "车辆登记",
            "Vehicles",
            (
                F("plate", "str", True),
                F("owner", "str", True),
                F("owner_relation", "str", True, ("self", "spouse", "relative", "company", "other")),
                F("model", "str"),
                F("registered_on", "date"),
                F("reference_value_fen", "fen"),
                F("event", "str", True, ("holding", "acquisition", "transfer", "mortgage", "seizure")),
                F("event_date", "date", True),
                F("transferee", "str"),
                F("transferee_relation", "str"),
                F("price_fen", "fen"),
            ),
            "event_date",
        ),
        KindSpec(
            "marriage",
            "婚姻登记",
            "Marriage events",
            (
                F("event", "str", True, ("marriage", "divorce")),
                F("event_date", "date", True),
                F("spouse", "str", True),
                F("agreement_note", "str", doc="division of property per the divorce agreement"),
            ),
            "event_date",
        ),
        KindSpec(
            "court",
            "司法记录",
            "Court records",
            (
                F(
                    "record_type",
                    "str",
                    True,
                    ("suit", "enforcement", "dishonest", "consumption_restriction", "judgment"),
                ),
                F("case_no", "str", True, doc="案号"),
                F("court", "str"),
                F("role", "str", True, ("defendant", "plaintiff", "respondent", "applicant", "third_party")),
                F("amount_fen", "fen"),
                F("filed_on", "date", True),
                F("status", "str", True, ("open", "closed", "terminated", "lifted")),
                F("closed_on", "date"),
                F("outstanding_fen", "fen", doc="for enforcement: amount not yet performed"),
            ),
            "filed_on",
        ),
        KindSpec(
            "contribution",
            "纳税与社保公积金",
            "Tax, social insurance, housing fund",
            (
                F("scheme", "str", True, ("tax", "social_insurance", "housing_fund")),
                F("period", "str", True, doc="month YYYY-MM"),
                F("employer", "str"),
                F("base_fen", "fen", doc="contribution base or taxable income"),
                F("amount_fen", "fen", True, doc="amount paid for the month"),
                F("status", "str", True, ("paid", "arrears", "stopped")),
            ),
            "period",
        ),
        KindSpec(
            "declared_income",
            "申报收入",
            "Declared income",
            (
                F("declared_on", "date", True),
                F("monthly_income_fen", "fen", True),
                F("source", "str", True, ("loan_application", "court_declaration", "interview", "other")),
                F("employer", "str"),
                F("occupation", "str"),
                F("dependants", "int"),
            ),
            "declared_on",
        ),
    )
}
