"""Pools of agents: where each campaign draws its agents from (lookup), and supervisors defining pools
(editing, audited)."""
