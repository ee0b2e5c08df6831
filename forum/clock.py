"""The one source of the current time: naive UTC datetimes, stored as such everywhere."""
from datetime import datetime, timezone


def now():
    """Current time in UTC, without tzinfo (the form every column stores)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
