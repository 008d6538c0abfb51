"""Domain errors: a stable code, a message in Chinese and English, optional per-field details."""

from __future__ import annotations

from qingzhai.core.i18n import bi


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        code: str,
        zh: str,
        en: str,
        *,
        fields: dict[str, list[str]] | None = None,
        status: int | None = None,
        **params: object,
    ) -> None:
        self.code = code
        self.zh = zh.format(**params) if params else zh
        self.en = en.format(**params) if params else en
        self.fields = fields or {}
        if status is not None:
            self.status = status
        super().__init__(f"{code}: {self.en}")

    @property
    def message(self) -> str:
        return bi(self.zh, self.en)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class AccessDenied(DomainError):
    status = 403

    def __init__(
        self, zh: str = "没有权限执行此操作", en: str = "You do not have permission to do this"
    ) -> None:
        super().__init__("permission_denied", zh, en)


class NotFound(DomainError):
    status = 404

    def __init__(
        self, zh: str = "记录不存在或无权查看", en: str = "Not found, or not visible to you"
    ) -> None:
        super().__init__("not_found", zh, en)


class Conflict(DomainError):
    status = 409
