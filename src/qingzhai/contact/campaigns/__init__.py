"""Reminder campaigns: message templates, the planner (gate and capacity) and the sender. The modules in
this package, except `sender`'s database side in contact/services/campaigns.py, are pure: no Django."""
