from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from qingzhai.accounts.roles import Role, can


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    supervisor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="supervised_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(
        max_length=20, choices=[(r.value, r.value) for r in Role], default=Role.COLLECTOR.value
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    display_name = models.CharField(max_length=100, blank=True, default="")

    def can(self, capability: str) -> bool:
        if not self.is_active:
            return False
        return can(self.role, capability)

    @property
    def label(self) -> str:
        return self.display_name or self.get_full_name() or self.username
