"""Loading a portfolio file into the database: the run (run), batches of rows (writer), and what they
write: debtors and their contacts (debtors), debts and guarantors (debts), cases and their totals (cases),
audit events (events), personal data (personal), raw inserts (sql)."""

from qingzhai.portfolio.intake.load.run import actor_parts, default_portfolio_code, import_file, run_import

__all__ = ["actor_parts", "default_portfolio_code", "import_file", "run_import"]
