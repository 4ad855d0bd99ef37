"""The read side: the queries behind the charts (dashboards), the editor's timeline, the audit trail in words and
a planner's notices. Nothing here changes state but a dismissed notice."""
