"""Admin for users and teams: roles shown with their labels, every change audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm, UsernameField
from django.db import transaction
from django.db.models import Count
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from qingzhai.accounts import services
from qingzhai.accounts.models import Team, User
from qingzhai.accounts.roles import ROLE_LABELS, Role
from qingzhai.core import audit
from qingzhai.core.admin import AuditedAdmin
from qingzhai.core.i18n import bi, bi_lazy


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, f"{bi(*ROLE_LABELS[role])} ({role.value})") for role in Role]


class RoleLabelsMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "role" in self.fields:  # type: ignore[attr-defined]
            self.fields["role"].choices = role_choices()  # type: ignore[attr-defined]


class QingzhaiUserCreationForm(RoleLabelsMixin, UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "display_name", "role", "team")
        field_classes = {"username": UsernameField}


class QingzhaiUserChangeForm(RoleLabelsMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = QingzhaiUserChangeForm
    add_form = QingzhaiUserCreationForm
    list_display = ("username", "display_name", "role_name", "team", "is_active", "last_login")
    list_filter = ("role", "team", "is_active")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    list_select_related = ("team",)
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (bi_lazy("资料", "Profile"), {"fields": ("display_name", "first_name", "last_name", "email")}),
        (bi_lazy("角色", "Role"), {"fields": ("role", "team", "is_active")}),
        (bi_lazy("日期", "Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "role", "team", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description="role", ordering="role")
    def role_name(self, obj: User) -> str:
        try:
            return bi(*ROLE_LABELS[Role(obj.role)])
        except ValueError:
            return obj.role

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if not change:
            # New users go through the same service as the command line (it audits the creation).
            created = services.user_create(
                actor=request.user,
                username=obj.username,
                role=obj.role,
                password=form.cleaned_data["password1"],
                team=obj.team,
                display_name=obj.display_name,
                check_password=False,  # the creation form has already run the password validators
            )
            obj.pk = created.pk
            obj.password = created.password
            obj.is_staff, obj.is_superuser = created.is_staff, created.is_superuser
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        # Only administrators reach the admin, and the role decides it.
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN.value
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=id).first()
            if request.method == "POST" and user is not None and user.password != before:
                usable = user.has_usable_password()
                audit.record(
                    actor=request.user,
                    action="user.password_set" if usable else "user.password_disabled",
                    entity=user,
                    changes={"password": "changed" if usable else "disabled"},
                )
        return response


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "supervisor", "member_count")
    search_fields = ("name",)
    list_select_related = ("supervisor",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(n_members=Count("members"))

    @admin.display(description="members", ordering="n_members")
    def member_count(self, obj: Any) -> int:
        return obj.n_members
