"""gunicorn settings for Agora in production: `gunicorn -c gunicorn.conf.py app:app`.

gevent workers (Flask-SocketIO's deployment docs: gunicorn with `-k gevent`; no eventlet, no
gevent-websocket: WebSocket goes through simple-websocket). gevent comes from
`pip install -e '.[prod]'` (gunicorn[gevent]).

Several processes (AGORA_WORKERS, default 1) need FORUM_REDIS_URL (the Socket.IO message
queue: a reply posted through one worker reaches the sockets held by another) and a database
that several processes share well (PostgreSQL). gunicorn hands each new connection to any
worker, which is right for pages and for WebSocket (one connection), not for Socket.IO's
long-polling fallback, whose requests must all reach the process that holds the session: with
AGORA_WORKERS > 1 the app accepts the WebSocket transport only (see forum/realtime). For
long-polling clients as well, run one single-worker gunicorn per port behind a proxy with
sticky sessions (nginx `ip_hash`), as the Flask-SocketIO docs recommend, with the same settings.
"""
import os

bind = os.environ.get("AGORA_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
worker_class = "gevent"
workers = int(os.environ.get("AGORA_WORKERS", "1"))
# Every open page holds one connection: size this above the expected watchers plus requests.
worker_connections = int(os.environ.get("AGORA_WORKER_CONNECTIONS", "2000"))
timeout = 60
graceful_timeout = 20
# The app is loaded in each worker, after gevent has patched the standard library, and never
# inside an application context: requests never share `g` or a database session.
preload_app = False
accesslog = os.environ.get("AGORA_ACCESS_LOG") or None

# The worker is gevent: Flask-SocketIO must use it too (never auto-detected).
os.environ.setdefault("FORUM_SOCKETIO_ASYNC_MODE", "gevent")
# Workers serve pages: they never run migrations (Alembic stays out of their memory).
os.environ.setdefault("FORUM_WEB_ONLY", "true")
# Production asks staff for two-step login (development and tests do not: demo accounts stay
# easy to use); FORUM_TWO_STEP_REQUIRED_FOR_STAFF=false turns it off here too.
os.environ.setdefault("FORUM_TWO_STEP_REQUIRED_FOR_STAFF", "true")
if workers > 1:
    os.environ.setdefault("FORUM_SOCKETIO_WEBSOCKET_ONLY", "true")
# Logs as one JSON line per request (forum/web/request_log.py); FORUM_LOG_FORMAT=text for lines.
os.environ.setdefault("FORUM_LOG_FORMAT", "json")

# The workers' metrics are added up from files (prometheus_client's multiprocess mode): a
# folder of this master's own, empty at start, set before any worker imports the app.
_metrics_folder = None
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile
    _metrics_folder = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="agora-metrics-")


def on_exit(server):
    # The folder made above goes with this master (one given in the environment stays).
    if _metrics_folder:
        import shutil
        shutil.rmtree(_metrics_folder, ignore_errors=True)


def child_exit(server, worker):
    # A worker gone: its live gauges (open sockets, connections in use) no longer count.
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)
