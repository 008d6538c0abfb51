"""The compliance REST API, mounted at /api/v1/compliance/: the contact gate, decisions, utterance
screening, alerts, the dishonest-debtor list, debtor protections and disputes, policy packs, statistics."""
