"""The WFM side: Standard Webhooks v1 signing (signing.py) and the sender (sender.py), the only code in the
project that speaks HTTP to a WFM system. The outbox that decides what to send and when is
campaigns/services/webhooks.py."""
