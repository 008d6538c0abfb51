"""Admin plumbing shared by every room: audited edits of reference data, the read-only audit trail,
and the rule that encrypted columns never appear."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from qingzhai.core import audit
from qingzhai.core.i18n import bi_lazy
from qingzhai.core.models import AuditEvent

admin.site.site_header = bi_lazy("清债 基础数据管理", "Qingzhai reference data")
admin.site.site_title = bi_lazy("清债", "Qingzhai")
admin.site.index_title = bi_lazy("基础数据", "Reference data")
admin.site.site_url = "/"


def is_secret_column(name: str) -> bool:
    """Ciphertext and blind-index columns are never shown, exported or searched from the admin."""
    return name.endswith("_enc") or name.endswith("_bidx")


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete made in the admin writes an audit event in the same transaction
    (the admin wraps each save and delete in one)."""

    audit_exclude: tuple[str, ...] = ("password", "last_login")

    def _audit(self, request: HttpRequest, action: str, obj: models.Model, changes: dict[str, Any]) -> None:
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=f"{obj._meta.model_name}.admin_{action}",
                entity=obj,
                changes=changes,
            )

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        names = [
            n
            for n in form.changed_data
            if n not in self.audit_exclude and not is_secret_column(n) and n in form.fields
        ]
        before = {n: form.initial.get(n) for n in names} if change else {}
        super().save_model(request, obj, form, change)
        after = {}
        for name in names:
            value = form.cleaned_data.get(name)
            if isinstance(value, QuerySet):
                value = sorted(v.pk for v in value)
            elif isinstance(value, models.Model):
                value = value.pk
            after[name] = value
        changes = {n: [before.get(n) if change else None, after[n]] for n in names}
        self._audit(request, "change" if change else "create", obj, changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        label = str(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        self._audit(request, "delete", obj, {"object": [label, None]})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            doomed = [(obj, obj.pk, str(obj)) for obj in queryset]
            super().delete_queryset(request, queryset)
            for obj, pk, label in doomed:
                obj.pk = pk
                self._audit(request, "delete", obj, {"object": [label, None]})


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never changed from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "actor_label", "action", "entity_type", "entity_id", "reason", "source")
    list_filter = ("action", "source", "entity_type")
    search_fields = ("actor_label", "action", "entity_id", "reason")
    date_hierarchy = "occurred_at"
    fields = (
        "occurred_at",
        "actor_label",
        "action",
        "entity_type",
        "entity_id",
        "changes",
        "reason",
        "source",
    )
    readonly_fields = fields
    list_select_related = False
    show_full_result_count = False
