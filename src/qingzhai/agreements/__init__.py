"""Repayment agreements that execute themselves. `engine` is the pure contract machine (no Django): terms
in, a stream of payments and dates in, the agreement's state timeline out."""
