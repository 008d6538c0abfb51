"""The evidence REST API, mounted at /api/v1/evidence/: the public log interface (checkpoints, consistency
proofs, hash tiles, witness cosignatures) and, for signed-in users, entries, inclusion proofs, a case's
entries and court bundle, the ledger's status and verification runs."""
