"""Portfolio intake: CSV/XLSX files from creditors into debtors, cases and debts, with per-row errors.

from qingzhai.portfolio.intake import ImportOptions, import_file
result = import_file(actor=user, path=path, options=ImportOptions(creditor=creditor, dry_run=True))
"""

from qingzhai.portfolio.intake.jobs import (
    import_job_confirm,
    import_job_create,
    import_job_run_execute,
    import_job_validate_run,
)
from qingzhai.portfolio.intake.load import default_portfolio_code, import_file
from qingzhai.portfolio.intake.results import ImportOptions, ImportResult, RowError, UnusableInput

__all__ = [
    "ImportOptions",
    "ImportResult",
    "RowError",
    "UnusableInput",
    "default_portfolio_code",
    "import_file",
    "import_job_confirm",
    "import_job_create",
    "import_job_run_execute",
    "import_job_validate_run",
]
