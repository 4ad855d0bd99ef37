"""Findings: what is wrong with a schedule or would go wrong with it (calling hours, DNC readiness, what a
skill cannot hold, conflicts and capacity), computed for drafts and stored for the campaign list."""
