"""Prometheus metrics at ``/metrics``, for the operators' monitoring (prometheus_client).

Counted as they happen: requests by route, method and status, and their duration; live
Socket.IO connections; database connections in use. Read from the database when scraped: the
notification emails waiting and those past due, and what packages register (the search
journal's lag: ``register_reading``). Under gunicorn the workers share their counts through
files (prometheus_client's multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR``, set by
gunicorn.conf.py), so one scrape answers for every worker of the machine.

Only the machine itself may read them (a request from a loopback address, after the proxies
``PROXY_COUNT`` trusts), or whoever sends ``Authorization: Bearer <FORUM_METRICS_TOKEN>``;
anyone else gets a 404. They hold no content and no count of a space: routes, statuses, queues.
"""
import hmac
import os
import time

from flask import Blueprint, abort, current_app, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from forum.extensions import db

bp = Blueprint("metrics", __name__)
LOOPBACK = ("127.0.0.1", "::1")
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

# Module-level: prometheus_client's registry is the process's (one app per worker process).
REQUESTS = Counter("agora_requests_total", "Requests answered, by route, method and status.",
                   ["route", "method", "status"])
DURATION = Histogram("agora_request_duration_seconds", "Time to answer a request, by route.", ["route"],
                     buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
SOCKETS = Gauge("agora_live_sockets", "Socket.IO connections open.", multiprocess_mode="livesum")
ROOMS = Gauge("agora_socket_rooms", "Socket.IO rooms with someone in them (topics, spaces, members), added up "
              "over the processes (a room held in two counts twice).", multiprocess_mode="livesum")
POOL = Gauge("agora_database_connections_in_use", "Database connections checked out of the pool.",
             multiprocess_mode="livesum")


def init_app(app):
    app.register_blueprint(bp)
    app.extensions["agora_metric_readings"] = []
    app.before_request(_start)
    app.after_request(_count)


def register_reading(app, name, description, read):
    """A gauge read from the database when scraped: ``read()`` returns a number."""
    app.extensions["agora_metric_readings"].append((name, description, read))


def socket_opened():
    SOCKETS.inc()


def socket_closed():
    SOCKETS.dec()


def rooms_now(manager, leaving=None):
    """Count this process's rooms after a client joined or left some (``leaving``: a client
    being disconnected, still listed). Leaves out the room each client has of its own."""
    rooms = manager.rooms.get("/", {})
    ROOMS.set(sum(1 for name, members in rooms.items()
                  if name is not None and name not in members and set(members) - {leaving}))


def _start():
    g.agora_metrics_started = time.perf_counter()


def _count(response):
    started = g.pop("agora_metrics_started", None)
    if started is not None and request.endpoint != "metrics.metrics":
        route = request.endpoint or "unknown"
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        DURATION.labels(route).observe(time.perf_counter() - started)
        pool = db.engine.pool
        if hasattr(pool, "checkedout"):
            POOL.set(pool.checkedout())
    return response


def _allowed():
    token = current_app.config["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    return request.remote_addr in LOOPBACK


class _Readings:
    """The gauges read from the database, at scrape time."""

    def __init__(self, readings):
        self.readings = readings

    def collect(self):
        for name, description, read in self.readings:
            family = GaugeMetricFamily(name, description)
            family.add_metric([], float(read()))
            yield family


@bp.route("/metrics")
def metrics():
    if not _allowed():
        abort(404)
    if MULTIPROCESS:
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    read = CollectorRegistry()
    read.register(_Readings(current_app.extensions["agora_metric_readings"]))
    return generate_latest(counted) + generate_latest(read), 200, {"Content-Type": CONTENT_TYPE_LATEST}
