"""Debtors of imported rows, found by the blind index of their ID number (per creditor) or created, and
their mobile numbers, emergency contacts and bank accounts, each added once."""

from __future__ import annotations

from collections.abc import Iterable

from qingzhai.portfolio.intake.load.personal import PiiColumns, Sealer
from qingzhai.portfolio.intake.load.sql import Table
from qingzhai.portfolio.intake.validate import CleanRow
from qingzhai.portfolio.models import BankAccount, ContactPoint, Creditor, Debtor

DEBTOR, EMERGENCY = ContactPoint.Party.DEBTOR.value, ContactPoint.Party.EMERGENCY.value


class Debtors:
    def __init__(self, *, creditor: Creditor, sealer: Sealer) -> None:
        self.creditor = creditor
        self.sealer = sealer
        self.by_index: dict[str, int] = {}  # ID blind index -> debtor id
        self._creditor_had_debtors: bool | None = None
        # What the debtors met so far have, in flat sets of plain tuples (far less work for the garbage
        # collector than a set per debtor).
        self.loaded: set[int] = set()  # debtors whose phones and accounts are known here
        self.phones: set[tuple[int, str, str]] = set()  # (debtor id, party, phone blind index)
        self.has_primary: set[int] = set()
        self.accounts: set[tuple[int, str]] = set()  # (debtor id, account blind index)
        self.id_number = PiiColumns.of(Debtor, "id_number")
        self.home_address = PiiColumns.of(Debtor, "home_address")
        self.work_address = PiiColumns.of(Debtor, "work_address")
        self.phone = PiiColumns.of(ContactPoint, "value")
        self.account = PiiColumns.of(BankAccount, "account")
        self.debtors = Table(
            Debtor,
            (
                "creditor_id",
                "kind",
                "name",
                "employer",
                *self.id_number.fields,
                *self.home_address.fields,
                *self.work_address.fields,
            ),
        )
        self.points = Table(
            ContactPoint,
            ("debtor_id", "party", "name", "relation", "consent", "is_primary", *self.phone.fields),
        )
        self.bank_accounts = Table(BankAccount, ("debtor_id", "bank_name", *self.account.fields))

    def ids_for(self, rows: list[CleanRow]) -> dict[str, int]:
        """contract no. -> debtor id for the rows of new debts, creating the debtors not there yet (with
        the row's name, type, addresses and employer; an existing debtor's details stay as they are)."""
        keys = {r.contract_no: self.sealer.index(self.id_number.kind, r.id_number) for r in rows}
        if self._creditor_had_debtors is None:
            # As Debts.existing: asked once, before this import writes any debtor.
            self._creditor_had_debtors = Debtor.objects.filter(creditor=self.creditor).exists()
        unknown = {k for k in keys.values() if k not in self.by_index}
        if unknown and self._creditor_had_debtors:
            # By the blind index alone, the creditor checked here: given the creditor too, SQLite would
            # walk every debtor of the creditor (its index) rather than look the indexes up.
            found = [
                (bidx, debtor_id)
                for bidx, debtor_id, creditor_id in Debtor.objects.filter(id_number_bidx__in=unknown)
                .order_by()
                .values_list("id_number_bidx", "id", "creditor_id")
                if creditor_id == self.creditor.pk
            ]
            self.by_index.update(found)
            self._load_known(d for _b, d in found)
        new: dict[str, tuple[object, ...]] = {}
        for row in rows:
            bidx = keys[row.contract_no]
            if bidx in self.by_index or bidx in new:
                continue
            new[bidx] = (
                self.creditor.pk,
                row.debtor_kind,
                row.debtor_name,
                row.employer,
                *self.sealer.seal(self.id_number, row.id_number),
                *self.sealer.seal(self.home_address, row.home_address),
                *self.sealer.seal(self.work_address, row.work_address),
            )
        ids = self.debtors.insert(list(new.values()))
        for bidx, debtor_id in zip(new, ids, strict=True):
            self.by_index[bidx] = debtor_id
            self.loaded.add(debtor_id)
        return {contract: self.by_index[bidx] for contract, bidx in keys.items()}

    def _load_known(self, debtor_ids: Iterable[int]) -> None:
        """Phones and accounts the given existing debtors already have."""
        ids = sorted({d for d in debtor_ids if d not in self.loaded})
        if not ids:
            return
        self.loaded.update(ids)
        points = ContactPoint.objects.filter(debtor_id__in=ids).order_by()
        for debtor_id, party, bidx, primary in points.values_list(
            "debtor_id", "party", "value_bidx", "is_primary"
        ):
            self.phones.add((debtor_id, party, bidx))
            if primary and party == DEBTOR:
                self.has_primary.add(debtor_id)
        accounts = BankAccount.objects.filter(debtor_id__in=ids).order_by()
        self.accounts.update(accounts.values_list("debtor_id", "account_bidx"))

    def add_contacts(self, batch: list[CleanRow], debtor_of: dict[str, int]) -> None:
        """The rows' mobiles (the first one primary when the debtor has none), emergency contacts and bank
        accounts that their debtors do not have yet."""
        self._load_known(debtor_of.values())
        seal, index, phones = self.sealer.seal, self.sealer.index, self.phones
        points: list[tuple[object, ...]] = []
        accounts: list[tuple[object, ...]] = []
        for row in batch:
            debtor_id = debtor_of[row.contract_no]
            for phone in row.mobiles:
                key = (debtor_id, DEBTOR, index(self.phone.kind, phone))
                if key in phones:
                    continue
                phones.add(key)
                primary = debtor_id not in self.has_primary
                self.has_primary.add(debtor_id)
                points.append((debtor_id, DEBTOR, "", "", False, primary, *seal(self.phone, phone)))
            if row.emergency_phone:
                key = (debtor_id, EMERGENCY, index(self.phone.kind, row.emergency_phone))
                if key not in phones:
                    phones.add(key)
                    points.append(
                        (
                            debtor_id,
                            EMERGENCY,
                            row.emergency_name,
                            row.emergency_relation,
                            row.emergency_consent,
                            False,
                            *seal(self.phone, row.emergency_phone),
                        )
                    )
            if row.bank_account:
                account = (debtor_id, index(self.account.kind, row.bank_account))
                if account not in self.accounts:
                    self.accounts.add(account)
                    accounts.append((debtor_id, row.bank_name, *seal(self.account, row.bank_account)))
        self.points.insert(points, returning=False)
        self.bank_accounts.insert(accounts, returning=False)
