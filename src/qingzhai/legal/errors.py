"""The bilingual error of the pure legal engines (pure: no Django): a stable code, Chinese and English
messages, and the field it concerns; `as_dict` gives the house error shape."""

from __future__ import annotations


class LegalError(ValueError):
    default_field = "value"

    def __init__(self, code: str, zh: str, en: str, *, field: str | None = None) -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.field = field or self.default_field
        super().__init__(f"{code}: {en}")

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": f"{self.zh} / {self.en}", "fields": {self.field: [self.en]}}
