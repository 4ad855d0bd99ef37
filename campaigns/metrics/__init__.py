"""What /metrics tells operators: counters kept by the processes that count (counters.py) and numbers read from
the database and the broker at scrape time (collect.py)."""
