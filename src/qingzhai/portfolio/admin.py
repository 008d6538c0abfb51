"""Admin for portfolio reference data: creditors, portfolios, tags; debtors read-only and masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from qingzhai.core.admin import AuditedAdmin, ReadOnlyAdmin
from qingzhai.portfolio import services
from qingzhai.portfolio.models import ContactPoint, Creditor, Debtor, Portfolio, Tag


def _adopt(obj: Any, created: Any) -> None:
    """Make the admin's unsaved instance stand for the row the service created."""
    obj.pk = created.pk
    for field in type(obj)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(created, field.attname))
    obj._state.adding = False
    obj._state.db = created._state.db


@admin.register(Creditor)
class CreditorAdmin(AuditedAdmin):
    list_display = ("name", "code", "kind", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("name", "code", "kind") if obj is None else ("name", "code", "kind", "is_active")

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # New creditors go through the same service as the API and the CLI (it audits the creation).
        created = services.creditor_create(actor=request.user, name=obj.name, code=obj.code, kind=obj.kind)
        _adopt(obj, created)


@admin.register(Portfolio)
class PortfolioAdmin(AuditedAdmin):
    list_display = ("code", "name", "creditor", "placement_date", "recall_date")
    list_filter = ("creditor",)
    search_fields = ("code", "name", "creditor__name")
    list_select_related = ("creditor",)
    fields = ("creditor", "code", "name", "placement_date", "recall_date")

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.portfolio_create(
            actor=request.user,
            creditor=obj.creditor,
            code=obj.code,
            placement_date=obj.placement_date,
            recall_date=obj.recall_date,
            name=obj.name,
        )
        _adopt(obj, created)


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    list_display = ("name",)
    search_fields = ("name",)


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    fields = ("party", "name", "relation", "value_masked", "is_primary", "consent", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Debtor)
class DebtorAdmin(ReadOnlyAdmin):
    """For looking a debtor up: masked values only; revealing happens on the case page, with a reason."""

    list_display = ("name", "kind", "creditor", "id_number_masked", "home_address_masked")
    list_filter = ("kind", "creditor")
    search_fields = ("name",)
    list_select_related = ("creditor",)
    fields = (
        "creditor",
        "kind",
        "name",
        "id_number_masked",
        "home_address_masked",
        "work_address_masked",
        "employer",
        "timezone",
        "created_at",
    )
    readonly_fields = fields
    inlines = (ContactPointInline,)
    show_full_result_count = False
