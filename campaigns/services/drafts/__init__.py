"""Drafts: the workflow planners and supervisors drive (workflow), the one way a draft changes status
(transitions, which the activation worker uses too), its guards and revisions."""
