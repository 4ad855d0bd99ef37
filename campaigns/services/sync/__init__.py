"""Sync: the campaign mirror read from CXone (mirror), paged and confirmed by id (fetch), and how current it
is (status)."""
