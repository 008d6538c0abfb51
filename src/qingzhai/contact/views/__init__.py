"""The contact centre's pages."""
