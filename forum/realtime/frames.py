"""Malformed frames from a client: one log line and that connection closed, never a traceback.

python-socketio and python-engineio raise on bytes they cannot decode (``42garbage``, ``4x``,
``42[]``, an empty or untyped engine.io packet, a binary frame: this protocol never sends one);
the library then logs a traceback and leaves the client without an answer (a long-polling POST
even waits forever for a poll that never comes). Each layer is checked before the library sees
it, per server (no module state): Socket.IO messages by the engine.io "message" handler,
WebSocket frames by wrapping the server's WebSocket class, polling POSTs by a WSGI wrapper that
also answers an oversized body at once (413).
"""
import io
import logging

from engineio import packet as eio_packet, payload as eio_payload
from socketio import packet

log = logging.getLogger(__name__)

_SOCKETIO_TYPES = (packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK)
_ENGINEIO_TYPES = range(len(eio_packet.packet_names))


def guard(app, server, max_bytes):
    """Check every client frame of ``server`` (a ``socketio.Server`` serving ``app``)."""
    dispatch = server._handle_eio_message

    def on_message(eio_sid, data):
        try:
            _check_message(server, data)
            dispatch(eio_sid, data)
        except Exception as error:   # anything the library raises on a client's bytes
            _refuse(server, eio_sid, error)

    server.eio.on("message", on_message)
    websocket = server.eio._async.get("websocket")
    if websocket is not None:
        # A copy: the driver's table is shared by every server of the process.
        server.eio._async = dict(server.eio._async, websocket=lambda handler, eio: websocket(
            lambda ws: handler(_CheckedWebSocket(ws, server)), eio))
    app.wsgi_app = _PollingGuard(app.wsgi_app, server, max_bytes)


def _refuse(server, eio_sid, error):
    log.warning("realtime: malformed frame from %s (%s: %s), connection closed",
                eio_sid, type(error).__name__, str(error)[:100])
    socket = server.eio.sockets.get(eio_sid)
    if socket is not None:
        # Not server.eio.disconnect(): it waits for a poll to take the close packet.
        socket.close(wait=False)


def _check_message(server, data):
    if isinstance(data, (bytes, bytearray)):
        raise ValueError("binary frame")
    frame = server.packet_class(encoded_packet=data)
    if frame.packet_type not in _SOCKETIO_TYPES:
        raise ValueError(f"unexpected packet type {frame.packet_type}")
    if frame.packet_type == packet.EVENT and not (
            isinstance(frame.data, list) and frame.data and isinstance(frame.data[0], str)):
        raise ValueError("event without a name")


def _check_engineio(encoded):
    if eio_packet.Packet(encoded_packet=encoded).packet_type not in _ENGINEIO_TYPES:
        raise ValueError("unknown engine.io packet type")


class _CheckedWebSocket:
    """The library's WebSocket, whose frames are checked before engine.io decodes them."""

    def __init__(self, ws, server):
        self._ws, self._server = ws, server

    def __getattr__(self, name):
        return getattr(self._ws, name)

    def wait(self):
        frame = self._ws.wait()
        if frame is None:
            return None
        try:
            _check_engineio(frame)
        except Exception as error:
            log.warning("realtime: malformed WebSocket frame (%s: %s), connection closed",
                        type(error).__name__, str(error)[:100])
            self._ws.close()
            return None          # as if the client left: engine.io closes its socket
        return frame


class _PollingGuard:
    """Long-polling POSTs: oversized → 413 at once; undecodable → 400 and the session closed."""

    def __init__(self, wsgi_app, server, max_bytes):
        self.wsgi_app, self.server, self.max_bytes = wsgi_app, server, max_bytes

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get("PATH_INFO", "").startswith("/socket.io"):
            return self.wsgi_app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= self.max_bytes:
            return self._answer(start_response, "413 Payload Too Large")
        body = environ["wsgi.input"].read(length)
        try:
            for frame in eio_payload.Payload(encoded_payload=body.decode("utf-8")).packets:
                if frame.packet_type not in _ENGINEIO_TYPES:
                    raise ValueError("unknown engine.io packet type")
        except Exception as error:
            sid = _query_value(environ.get("QUERY_STRING", ""), "sid")
            _refuse(self.server, sid, error)
            return self._answer(start_response, "400 Bad Request")
        environ["wsgi.input"] = io.BytesIO(body)
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def _answer(start_response, status):
        # Connection: close: the body of an oversized request is left unread.
        start_response(status, [("Content-Type", "text/plain"), ("Connection", "close")])
        return [status.encode()]


def _query_value(query, name):
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == name:
            return value
    return None
