"""gunicorn settings for Agora in production: `gunicorn -c gunicorn.conf.py app:app`.

One gevent worker per process: Socket.IO rooms live in the process that holds the sockets, and
gunicorn cannot route a long-polling client back to the same worker. For more processes, run
several of these on different ports with FORUM_REDIS_URL set (the Socket.IO message queue),
behind a proxy with sticky sessions; browsers use WebSocket first. gevent comes from
`pip install -e '.[prod]'` (gunicorn[gevent]); WebSocket goes through simple-websocket.
No eventlet, no gevent-websocket.
"""
import os

bind = os.environ.get("AGORA_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
worker_class = "gevent"
workers = 1
# Every open page holds one connection: size this above the expected watchers plus requests.
worker_connections = int(os.environ.get("AGORA_WORKER_CONNECTIONS", "2000"))
timeout = 60
graceful_timeout = 20
# The app is loaded in the worker, after gevent has patched the standard library.
preload_app = False
accesslog = os.environ.get("AGORA_ACCESS_LOG") or None

# The worker is gevent: Flask-SocketIO must use it too (never auto-detected).
os.environ.setdefault("FORUM_SOCKETIO_ASYNC_MODE", "gevent")
