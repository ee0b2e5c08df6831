"""Entry point: ``app = create_app()``; ``python app.py`` serves with Socket.IO on 127.0.0.1:$PORT."""
import os

from forum import create_app
from forum.extensions import socketio

app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    print(f" * Agora : http://127.0.0.1:{port}/", flush=True)
    # The embedded server (one process, threads); production runs gunicorn (see docs/production.md).
    socketio.run(app, host="127.0.0.1", port=port, allow_unsafe_werkzeug=True)
