"""REST API of the portfolio under /api/v1/: one view per operation, each with its own input and
output serializers; writes call the services, reads go through the selectors."""
