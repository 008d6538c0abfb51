"""Every read of the legal room that an interface needs, with its access checks."""

from qingzhai.legal.selectors.limitation import (
    DebtLimitation,
    debt_get,
    debt_limitation,
    limitation_input,
)

__all__ = ["DebtLimitation", "debt_get", "debt_limitation", "limitation_input"]
