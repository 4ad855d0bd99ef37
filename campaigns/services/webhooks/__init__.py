"""The WFM outbox: each activation outcome as a signed Standard Webhooks event (payload), delivered, retried
and swept (outbox)."""
