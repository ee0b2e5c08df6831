"""Where the embedded server (``make run``, ``python app.py``) answers, for links made outside a
request: emails sent by a thread, ``flask digest preview`` typed in another terminal.

``make run PORT=5001`` serves on 5001: the server's own process knows it from ``PORT``; it also
writes the address into the instance folder, so that a command started later without ``PORT``
builds the same links. ``FORUM_SERVER_NAME`` (a real host name) always wins over both.
"""
import os

HOST = "127.0.0.1"
DEFAULT_PORT = 5000
FILE_NAME = "served-address"


def port_from_environment():
    """``PORT`` as ``make run`` passes it, or None when unset or not a port number."""
    value = os.environ.get("PORT", "").strip()
    return int(value) if value.isdigit() and 0 < int(value) < 65536 else None


def remember(instance_path, port):
    """Called by app.py as it starts serving on ``port``."""
    with open(os.path.join(instance_path, FILE_NAME), "w", encoding="utf-8") as handle:
        handle.write(f"{HOST}:{port}\n")


def default_server_name(instance_path):
    """``PORT`` if set, else where the embedded server last served from this instance, else 5000."""
    port = port_from_environment()
    if port:
        return f"{HOST}:{port}"
    try:
        with open(os.path.join(instance_path, FILE_NAME), encoding="utf-8") as handle:
            recorded = handle.read().strip()
    except OSError:
        recorded = ""
    host, _, port = recorded.rpartition(":")
    if host == HOST and port.isdigit():
        return recorded
    return f"{HOST}:{DEFAULT_PORT}"
