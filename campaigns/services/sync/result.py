"""What one campaign sync did (sync_campaigns' answer, the sync task's result, the command's output)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SyncResult"]


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0  # newly marked missing by this run (confirmed gone by id)
    reappeared: int = 0  # were missing, listed again (also counted in updated)
    pools_created: int = 0
    pools_updated: int = 0
    # Open drafts newly flagged behind CXone (behind_remote_since set, status unchanged). The name is kept for the
    # sync task's result dict; this is not workflow.mark_stale's STALE status.
    drafts_flagged_behind: int = 0
    lists_not_found: list[str] = field(default_factory=list)
    # Campaigns that could not be read whole: not written (they keep their previous mirror), read next sync.
    failed: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # pages of CXone's list that could not be read
    # The pks of the campaigns this run created, changed or marked missing (for work that follows a change).
    changed_campaign_pks: list[int] = field(default_factory=list)
    skipped: bool = False  # another sync held the claim; this one did nothing
    # "full": CXone's whole list was read; "delta": only what changed since the last read (fetch_changes).
    kind: str = "full"

    def summary(self) -> str:
        if self.skipped:
            return "another sync is running; nothing done"
        text = (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"missing {self.missing} (reappeared {self.reappeared}; pools created {self.pools_created}, "
            f"renamed {self.pools_updated}; drafts behind CXone {self.drafts_flagged_behind})"
        )
        text += f"; failed {len(self.failed)}" if self.failed else ""
        return text + ("; read only what changed since the last sync" if self.kind == "delta" else "")

    def counts(self) -> dict[str, int]:
        names = ("created", "updated", "unchanged", "missing", "reappeared", "drafts_flagged_behind")
        return {name: getattr(self, name) for name in names} | {"failed": len(self.failed)}
