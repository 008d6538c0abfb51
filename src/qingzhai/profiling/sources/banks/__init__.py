"""Bank statement parsers: one module per bank, plus `generic` (any layout through a column mapping).

`PARSERS` lists every bank parser for `sources.registry`. Shared rules (sides, reversals, natures) are
documented in `common`.
"""

from __future__ import annotations

from qingzhai.profiling.sources.banks import (
    abc,
    bmo,
    boc,
    bocom,
    ccb,
    cgb,
    cib,
    citic,
    cmb,
    generic,
    hsbchk,
    icbc,
    spdb,
    td,
)
from qingzhai.profiling.sources.base import Parser

PARSERS: list[Parser] = [
    *icbc.PARSERS,
    *ccb.PARSERS,
    *citic.PARSERS,
    *spdb.PARSERS,
    *cmb.PARSERS,
    *abc.PARSERS,
    *boc.PARSERS,
    *bocom.PARSERS,
    *cgb.PARSERS,
    *cib.PARSERS,
    *hsbchk.PARSERS,
    *bmo.PARSERS,
    *td.PARSERS,
    *generic.PARSERS,
]
