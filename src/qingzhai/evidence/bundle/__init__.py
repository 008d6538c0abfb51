"""Court bundles: a zip of leaves, proofs, artifacts, the signed checkpoint, an index and a verifier."""

from __future__ import annotations

from qingzhai.evidence.bundle.layout import FORMAT, BundleEntry, BundleError, BundleInput
from qingzhai.evidence.bundle.write import build_bundle, bundle_files, write_bundle

__all__ = [
    "FORMAT",
    "BundleEntry",
    "BundleError",
    "BundleInput",
    "build_bundle",
    "bundle_files",
    "write_bundle",
]
