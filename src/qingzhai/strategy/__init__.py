"""Collection strategy: champion/challenger experiments (assignment and their statistics)."""
