"""Writes to users and teams."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from qingzhai.accounts.models import Team, User
from qingzhai.accounts.roles import Role
from qingzhai.core import audit
from qingzhai.core.errors import Conflict, DomainError


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    role: str,
    password: str,
    team: Team | None = None,
    display_name: str = "",
    check_password: bool = True,
) -> User:
    username = username.strip()
    if not username:
        raise DomainError("username_required", "用户名不能为空", "A username is required")
    try:
        Role(role)
    except ValueError as exc:
        raise DomainError(
            "role_invalid", "无效的角色：{role}", "Unknown role: {role}", role=role, fields={"role": [role]}
        ) from exc
    if User.objects.filter(username=username).exists():
        raise Conflict("user_exists", "用户已存在：{u}", "User already exists: {u}", u=username)
    user = User(
        username=username,
        role=role,
        team=team,
        display_name=display_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(
                "password_weak",
                "密码不符合要求",
                "The password is too weak",
                fields={"password": list(exc.messages)},
            ) from exc
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        action="user.create",
        entity=user,
        changes={"username": [None, username], "role": [None, role]},
    )
    return user


@transaction.atomic
def totp_device_pending(*, user: Any) -> Any:
    """The user's unconfirmed TOTP device, created on first need and re-used until confirmed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Qingzhai", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: Any, device: Any) -> None:
    """Confirm an enrolled TOTP device (after a first correct code); drop other pending ones; audited."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit.record(actor=user, action="user.2fa_enrol", entity=user, changes={"totp_device": [None, device.pk]})


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """The user's API token (created on first request); audited."""
    token, created = Token.objects.get_or_create(user=user)
    audit.record(
        actor=user,
        action="api_token.issue",
        entity=user,
        changes={"token": ["new" if created else "existing"]},
    )
    return token.key


@transaction.atomic
def api_token_revoke(*, user: User) -> int:
    """Delete the user's API token; audited when there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(actor=user, action="api_token.revoke", entity=user, changes={})
    return deleted
