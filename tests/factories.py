"""factory_boy factories for the core tables. PII goes through the same helper the services use."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from qingzhai.accounts.models import Team, User
from qingzhai.core import pii
from qingzhai.core.validators import prc_id_check_digit
from qingzhai.portfolio.models import Case, ContactPoint, Creditor, Debt, Debtor, Portfolio


def make_prc_id(n: int, born: date = date(1988, 5, 17)) -> str:
    first17 = f"110105{born:%Y%m%d}{n % 1000:03d}"
    return first17 + prc_id_check_digit(first17)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "collector"
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-9")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CreditorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creditor

    name = factory.Sequence(lambda n: f"委托方{n}银行")
    code = factory.Sequence(lambda n: f"CR{n:03d}")


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    creditor = factory.SubFactory(CreditorFactory)
    code = factory.Sequence(lambda n: f"P{n:04d}")
    placement_date = date(2026, 1, 5)


class DebtorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debtor
        skip_postgeneration_save = True

    creditor = factory.SubFactory(CreditorFactory)
    name = factory.Sequence(lambda n: f"张{n}")

    @factory.post_generation
    def id_number(obj, create, extracted, **kwargs):
        pii.set_value(obj, "id_number", extracted or make_prc_id(obj.pk or 1))
        pii.set_value(obj, "home_address", "北京市朝阳区建国路88号3单元1201")
        if create:
            obj.save()


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint
        skip_postgeneration_save = True

    debtor = factory.SubFactory(DebtorFactory)
    is_primary = True

    @factory.post_generation
    def value(obj, create, extracted, **kwargs):
        pii.set_value(obj, "value", extracted or "13812345678")
        if create:
            obj.save()


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    portfolio = factory.SubFactory(PortfolioFactory)
    debtor = factory.SubFactory(DebtorFactory, creditor=factory.SelfAttribute("..portfolio.creditor"))


class DebtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debt

    case = factory.SubFactory(CaseFactory)
    creditor = factory.SelfAttribute("case.portfolio.creditor")
    contract_no = factory.Sequence(lambda n: f"HT{n:06d}")
    product = "信用卡"
    original_principal_fen = 1_000_000
    principal_fen = 1_000_000
    interest_fen = 50_000
    penalty_fen = 20_000
    fee_fen = 10_000
    overdue_since = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=45))
    dpd = 45
    bucket = "M2"


def case_with_debt(**case_kwargs) -> Case:
    """A case with one debt and a primary phone, its totals refreshed."""
    from qingzhai.portfolio.services import case_refresh_totals

    case = CaseFactory(**case_kwargs)
    DebtFactory(case=case)
    ContactPointFactory(debtor=case.debtor)
    return case_refresh_totals(case=case)
