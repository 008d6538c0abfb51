"""Made-up identities for the demo: names, birthdays, PRC ID numbers, unified social credit codes, mobile
numbers, bank cards, addresses and company names, all valid in form and unique within one load."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from qingzhai.core.validators import prc_id_check_digit, uscc_check_char
from qingzhai.portfolio.demo.reference import (
    BRANDS,
    COMMUNITIES,
    FEMALE_CHARS,
    INDUSTRIES,
    MALE_CHARS,
    MOBILE_PREFIXES,
    STREETS,
    TOWERS,
    pick_surname,
)

Region = tuple[str, ...]


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def org_code_check(body8: str) -> str:
    """Check character of an organisation code (GB 11714), digits-only body."""
    total = sum(int(c) * w for c, w in zip(body8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def place(region: Region) -> str:
    """Province, city and district as written in an address (a municipality is named once)."""
    _, province, city, district, _ = region
    return (city if province == city else province + city) + district


class Identities:
    """Draws identities from the load's random generator; ID numbers, phones and company names never repeat."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.company_names: set[str] = set()

    @staticmethod
    def _fresh(seen: set[str], make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in seen:
                seen.add(value)
                return value

    def person_name(self, male: bool, surname: str | None = None) -> str:
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = self.rng.choice(chars)
        if self.rng.random() < 0.85:
            given += self.rng.choice(chars)
        return (surname or pick_surname(self.rng)) + given

    def birthday(self, youngest: int, oldest: int) -> date:
        """A birthday `youngest` to `oldest` years before this year."""
        rng = self.rng
        return date(self.today.year - rng.randint(youngest, oldest), 1, 1) + timedelta(
            days=rng.randrange(365)
        )

    def mobile(self) -> str:
        rng = self.rng
        return self._fresh(
            self.phones, lambda: rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
        )

    def prc_id(self, region: Region, born: date, male: bool) -> str:
        def make() -> str:
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{region[0]}{born:%Y%m%d}{seq:03d}"
            return first17 + prc_id_check_digit(first17)

        return self._fresh(self.ids, make)

    def uscc(self, region: Region) -> str:
        def make() -> str:
            body = f"{self.rng.randrange(10**8):08d}"
            first17 = f"91{region[0]}{body}{org_code_check(body)}"
            return first17 + uscc_check_char(first17)

        return self._fresh(self.ids, make)

    def bank_card(self) -> str:
        body = "62" + "".join(str(self.rng.randrange(10)) for _ in range(16))
        return body + luhn_digit(body)

    def _street(self, region: Region) -> str:
        return f"{place(region)}{self.rng.choice(STREETS)}{self.rng.randint(1, 399)}号"

    def home_address(self, region: Region) -> str:
        rng = self.rng
        return (
            f"{self._street(region)}{rng.choice(COMMUNITIES)}"
            f"{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{rng.randint(1, 32)}{rng.randint(1, 6):02d}室"
        )

    def office_address(self, region: Region) -> str:
        return f"{self._street(region)}{self.rng.choice(TOWERS)}大厦{self.rng.randint(2, 40)}层"

    def company(self, region: Region) -> str:
        city = region[2]
        return self._fresh(
            self.company_names,
            lambda: f"{city}{self.rng.choice(BRANDS)}{self.rng.choice(INDUSTRIES)}有限公司",
        )
