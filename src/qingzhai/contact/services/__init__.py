"""Every write of the contact room."""
