"""Reads of the contact centre: the collector's next-best-case queue and the supervisors' live wall."""
