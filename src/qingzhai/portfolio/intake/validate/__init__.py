"""Validating the rows of a portfolio file: field parsers (fields), the row and its checks across fields
and rows (rows), the error messages (messages)."""

from qingzhai.portfolio.intake.validate.fields import cell_text
from qingzhai.portfolio.intake.validate.messages import MESSAGES, row_error
from qingzhai.portfolio.intake.validate.rows import CleanRow, RowValidator

__all__ = ["MESSAGES", "CleanRow", "RowValidator", "cell_text", "row_error"]
