"""/api/v1/evidence/... The public log paths (checkpoint, tile/...) are spelled as c2sp.org/tlog-tiles has
them, without a trailing slash; so are the other public ones used by witnesses."""

from django.urls import path

from qingzhai.evidence.api import audit, entries, log

urlpatterns = [
    path("checkpoint", log.CheckpointView.as_view(), name="evidence-checkpoint"),
    path("checkpoints/<int:size>", log.CheckpointSizeView.as_view(), name="evidence-checkpoint-size"),
    path("consistency", log.ConsistencyView.as_view(), name="evidence-consistency"),
    path("tile/<int:level>/<path:rest>", log.TileView.as_view(), name="evidence-tile"),
    path("cosignatures", log.CosignaturesView.as_view(), name="evidence-cosignatures"),
    path("entries/<int:index>/", entries.EntryDetailView.as_view(), name="evidence-entry"),
    path("entries/<int:index>/proof/", entries.EntryProofView.as_view(), name="evidence-entry-proof"),
    path("cases/<int:pk>/entries/", entries.CaseEntriesView.as_view(), name="evidence-case-entries"),
    path("cases/<int:pk>/bundle/", entries.CaseBundleView.as_view(), name="evidence-case-bundle"),
    path("status/", audit.StatusView.as_view(), name="evidence-status"),
    path("verifications/", audit.VerificationsView.as_view(), name="evidence-verifications"),
]
