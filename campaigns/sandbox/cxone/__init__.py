"""The CXone simulator's two personalities: the Outbound API v2 contract (auth.py, outbound_v2.py, validation.py)
and a real tenant's ACD Admin API (admin_api.py, pc_tenant.py), over one seeded tenant (seed.py)."""
