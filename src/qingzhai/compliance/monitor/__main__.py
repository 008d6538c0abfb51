"""``python -m qingzhai.compliance.monitor [DATA_DIR]``: validate the screening data files and print a summary
(the same as ``python -m qingzhai.compliance.monitor.lexicon``, without importing the module twice)."""

from __future__ import annotations

from qingzhai.compliance.monitor.lexicon import main

if __name__ == "__main__":
    raise SystemExit(main())
