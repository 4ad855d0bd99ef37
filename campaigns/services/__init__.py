"""State changes, one room each (drafts, activation, sync, webhooks), the findings they rely on, and the read
side (reports) apart. Views call these; these call cxone/, wfm/ and charts/ below them."""
