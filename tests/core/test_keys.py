from cryptography.fernet import Fernet

from qingzhai.core import pii
from qingzhai.core.keys import rotate_all
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.models import ContactPoint, Debtor


def test_rotate_keys_reencrypts_everything(settings, case):
    debtor = Debtor.objects.get(pk=case.debtor_id)
    plain_id = pii.get_value(debtor, "id_number")
    new_key = Fernet.generate_key().decode()
    settings.QINGZHAI_PII_KEYS = [new_key, *settings.QINGZHAI_PII_KEYS]

    counts = rotate_all()

    assert counts["portfolio.debtor"] == 1
    assert counts["portfolio.contactpoint"] == 1
    settings.QINGZHAI_PII_KEYS = [new_key]  # the old key is gone: everything must still decrypt
    debtor.refresh_from_db()
    assert pii.get_value(debtor, "id_number") == plain_id
    assert pii.get_value(ContactPoint.objects.get(debtor=debtor), "value") == "13812345678"
    assert AuditEvent.objects.filter(action="pii.rotate_keys").count() >= 2


def test_rotate_keys_recomputes_blind_index(settings, case):
    settings.QINGZHAI_BLIND_INDEX_KEY = "a-brand-new-index-key"
    rotate_all(recompute_blind_index=True)
    debtor = Debtor.objects.get(pk=case.debtor_id)
    assert debtor.id_number_bidx == pii.lookup_index("id_number", pii.get_value(debtor, "id_number"))
