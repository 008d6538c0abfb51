from __future__ import annotations

import pytest

from qingzhai.accounts.roles import Role
from tests.factories import UserFactory, case_with_debt


@pytest.fixture
def make_user(db):
    def make(role: str | Role = Role.COLLECTOR, **kwargs):
        return UserFactory(role=str(role), **kwargs)

    return make


@pytest.fixture
def users(make_user):
    """One user per role, keyed by role name."""
    return {role.value: make_user(role, username=f"{role.value}1") for role in Role}


@pytest.fixture
def collector(users):
    return users["collector"]


@pytest.fixture
def supervisor(users):
    return users["supervisor"]


@pytest.fixture
def case(collector):
    return case_with_debt(assigned_to=collector)


@pytest.fixture
def other_case(db):
    return case_with_debt()


@pytest.fixture(autouse=True)
def _own_artifact_store(settings, tmp_path):
    """Each test stores evidence artifacts in its own folder, so one test's files never meet another's."""
    settings.QINGZHAI_EVIDENCE_ARTIFACT_DIR = tmp_path / "artifacts"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at production strength costs ~0.3 s per user; tests only need hashes that work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_2fa_by_default(settings, request):
    """Most tests are about other things; tests of two-factor turn it back on explicitly."""
    if "two_factor" not in request.keywords:
        settings.QINGZHAI_REQUIRE_2FA = False
