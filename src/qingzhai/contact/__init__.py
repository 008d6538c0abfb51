"""Contact centre: campaigns of reminders, channel adapters, the dialog engine with emotion recognition,
the debtor simulator and the collector's workspace."""
