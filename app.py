"""Entry point: ``app = create_app()``; ``python app.py`` serves with Socket.IO on 127.0.0.1:$PORT."""
from forum import create_app
from forum.extensions import socketio
from forum.web import served_address

app = create_app()

if __name__ == "__main__":
    port = served_address.port_from_environment() or served_address.DEFAULT_PORT
    # Links made outside a request (emails, `flask digest preview` in another terminal) follow.
    served_address.remember(app.instance_path, port)
    print(f" * Agora : http://{served_address.HOST}:{port}/\n"
          "   Embedded server (one process) to try Agora or work on it; Ctrl+C stops it.\n"
          "   Serving the public runs gunicorn instead: make serve-prod (docs/production.md).", flush=True)
    if socketio.async_mode == "threading":
        # Werkzeug's server without the banner of `socketio.run()`, whose warnings ("do not use it
        # in a production deployment") alarm a newcomer who only typed `make run`.
        from werkzeug.serving import make_server   # here: only this branch serves with it
        make_server(served_address.HOST, port, app, threaded=True).serve_forever()
    else:
        socketio.run(app, host=served_address.HOST, port=port, allow_unsafe_werkzeug=True)
