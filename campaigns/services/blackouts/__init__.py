"""Blackout calendars: supervisors edit them through four-eyes (editing.py); the engine and the dialling workers
ask which days a campaign must not dial (days.py, `blackout_days`)."""
