"""Dialling control: the workers that stop and start campaigns' dialling, as durable rows (DiallingChange), like
activation. The database is the truth; the broker only rings.

    wanting.want(campaign, action, …)    a change wanted, due at a time; its sender rung on commit
    sending.send(id)                     claim with a lease → ask CXone (stops first) → confirming
    confirming.run()                     one confirmer reads accepted changes until CXone shows them
    sweeper.sweep()                      every minute: expired leases, lost doorbells, partial weeks, alarms
    stopping                             Stop dialling (supervisors, one action) and its four-eyes Resume
    pausing                              timed pauses: asked, approved by a second person, ended by the workers
    holds.off_intervals(campaign, …)     the intervals held stopped (partial weeks' days off, blackout days)
"""

from campaigns.services.control.confirming import run
from campaigns.services.control.sending import send
from campaigns.services.control.sweeper import sweep

__all__ = ["run", "send", "sweep"]
