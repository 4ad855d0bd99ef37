"""The former home of the v2 client and of the shared client's helpers, kept as an import path while tests
outside campaigns/cxone/'s own still import these names from here. New code takes get_client, run_sync and
set_client_factory from factory.py and the v2 backend from v2.py. Nothing in campaigns/cxone/ imports this
module, so it closes no circle."""

from campaigns.cxone.factory import get_client, run_sync, set_client_factory
from campaigns.cxone.v2 import CXoneClient

__all__ = ["CXoneClient", "get_client", "run_sync", "set_client_factory"]
