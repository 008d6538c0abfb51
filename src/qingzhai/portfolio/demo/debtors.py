"""Demo debtors, people and enterprises, with their contact points and bank accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qingzhai.portfolio.demo.reference import (
    BANKS,
    FEMALE_RELATIONS,
    MALE_RELATIONS,
    SAME_SURNAME,
    SURNAMES,
    pick_region,
    pick_relation,
)
from qingzhai.portfolio.models import BankAccount, ContactPoint, Creditor, Debtor

if TYPE_CHECKING:
    from qingzhai.portfolio.demo.generate import Generator

# a new debtor, its contact points, and what its debts' guarantors are drawn from
NewDebtor = tuple[Debtor, list[ContactPoint], dict[str, Any]]


def _phone(
    gen: Generator,
    debtor: Debtor,
    party: str,
    name: str,
    relation: str,
    *,
    consent: bool,
    primary: bool = False,
) -> tuple[ContactPoint, str]:
    point = ContactPoint(debtor=debtor, party=party, name=name, relation=relation)
    point.is_primary, point.consent = primary, consent
    phone = gen.ident.mobile()
    gen.set_pii(point, "value", phone)
    return point, phone


def person(gen: Generator, creditor: Creditor) -> NewDebtor:
    rng, ident = gen.rng, gen.ident
    male = rng.random() < 0.58
    birth_region = pick_region(rng)
    born = ident.birthday(22, 62)
    name = ident.person_name(male)
    debtor = Debtor(creditor=creditor, kind=Debtor.Kind.PERSON, name=name)
    gen.set_pii(debtor, "id_number", ident.prc_id(birth_region, born, male))
    live = birth_region if rng.random() < 0.65 else pick_region(rng)
    gen.set_pii(debtor, "home_address", ident.home_address(live))
    if rng.random() < 0.72:
        debtor.employer = ident.company(live)
        gen.set_pii(debtor, "work_address", ident.office_address(live))
    own, _ = _phone(gen, debtor, ContactPoint.Party.DEBTOR, name, "本人", consent=True, primary=True)
    points = [own]
    if rng.random() < 0.3:
        second, _ = _phone(gen, debtor, ContactPoint.Party.DEBTOR, name, "本人", consent=True)
        points.append(second)
    surname = name[:2] if name[:2] in SURNAMES else name[0]
    spouse = None
    for _ in range(1 if rng.random() < 0.55 else 2):
        relation = pick_relation(rng)
        if relation == "配偶":
            contact_male = not male
        elif relation in MALE_RELATIONS:
            contact_male = True
        elif relation in FEMALE_RELATIONS:
            contact_male = False
        else:
            contact_male = rng.random() < 0.5
        contact_name = ident.person_name(contact_male, surname if relation in SAME_SURNAME else None)
        point, phone = _phone(
            gen, debtor, ContactPoint.Party.EMERGENCY, contact_name, relation, consent=rng.random() < 0.65
        )
        points.append(point)
        if relation == "配偶":
            spouse = {
                "name": contact_name,
                "male": contact_male,
                "phone": phone,
                "consent": point.consent,
            }
    if rng.random() < 0.5:
        account = BankAccount(debtor=debtor, bank_name=rng.choice(BANKS))
        gen.set_pii(account, "account", ident.bank_card())
        gen.bank_accounts.append(account)
    return debtor, points, {"spouse": spouse}


def enterprise(gen: Generator, creditor: Creditor) -> NewDebtor:
    rng, ident = gen.rng, gen.ident
    region = pick_region(rng)
    debtor = Debtor(creditor=creditor, kind=Debtor.Kind.ENTERPRISE, name=ident.company(region))
    gen.set_pii(debtor, "id_number", ident.uscc(region))
    gen.set_pii(debtor, "home_address", ident.office_address(region))
    gen.set_pii(debtor, "work_address", ident.office_address(region))
    rep_male = rng.random() < 0.75
    rep_name = ident.person_name(rep_male)
    born = ident.birthday(30, 60)
    rep, rep_phone = _phone(
        gen, debtor, ContactPoint.Party.DEBTOR, rep_name, "法定代表人", consent=True, primary=True
    )
    points = [rep]
    if rng.random() < 0.6:
        finance, _ = _phone(
            gen,
            debtor,
            ContactPoint.Party.DEBTOR,
            ident.person_name(rng.random() < 0.3),
            "财务负责人",
            consent=True,
        )
        points.append(finance)
    representative = (rep_name, ident.prc_id(region, born, rep_male), rep_phone)
    return debtor, points, {"representative": representative}
