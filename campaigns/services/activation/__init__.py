"""Activation: an approved draft pushed to CXone, exactly once, and watched until CXone says ACTIVE.

The database is the source of truth (ARCHITECTURE.md, "Activation"); the broker only rings doorbells. Each
step reads its Activation row, does one idempotent thing and writes the outcome with a conditional UPDATE; the
steps a row may take are models.STEP_TRANSITIONS, and Activation.objects answers which rows are claimable, due
for a read or left by a dead worker.

    queueing.queue(draft)   approval committed → Activation (queued) → its push and the poller rung on commit
    pushing.push(id)        claim → draft activating → re-check the findings → PUT once → polling
    polling.run()           one poller reads every due row, ≤ 100 campaigns a request → outcomes.finish
    sweeper.sweep()         every minute: re-rings lost doorbells, reclaims expired leases, queues orphans
    retrying.retry(id, u)   a supervisor pushes a failed draft again (a new Activation row)

Each is a task of its own (campaigns/tasks.py). Nothing here calls back into the draft workflow: draft status
changes go through drafts.transitions, which the workflow builds on too.
"""

from campaigns.services.activation.polling import poll_round, run
from campaigns.services.activation.pushing import push
from campaigns.services.activation.queueing import queue
from campaigns.services.activation.retrying import retry
from campaigns.services.activation.sweeper import sweep

__all__ = ["poll_round", "push", "queue", "retry", "run", "sweep"]
