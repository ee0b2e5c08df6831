"""Malformed Socket.IO / engine.io frames from a client, over WebSocket and long-polling, on a
real server: a prompt answer (engine.io's close packet, a 400, or the connection closed), and
one log line, never a library traceback."""
import json
import time

import pytest
import requests
import websocket

pytestmark = pytest.mark.slow

# Socket.IO frames (engine.io "4" message) that parse badly, and engine.io packets of no type.
BAD_FRAMES = ["42garbage", "42[]", "4x", "", "42[1,2]", '42["join_topic"', "42{}", "9", "x", "b!!",
              b"\x00\x01\x02", b""]
PROMPT = 5


def _open_polling(server):
    """A polling session joined to the main namespace: its URL."""
    opened = requests.get(server.url + "/socket.io/?EIO=4&transport=polling", timeout=10)
    url = server.url + f"/socket.io/?EIO=4&transport=polling&sid={json.loads(opened.text[1:])['sid']}"
    assert requests.post(url, data="40", timeout=10).text == "OK"
    requests.get(url, timeout=10)     # the namespace's connect packet
    return url


def _open_websocket(server):
    ws = websocket.create_connection(server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                                     timeout=PROMPT)
    assert ws.recv().startswith("0")          # engine.io's open packet
    ws.send("40")
    assert ws.recv().startswith("40")
    return ws


def _answer(ws, frame):
    """What the server did after ``frame``: "closed" (close packet or end of the connection)."""
    if isinstance(frame, bytes):
        ws.send_binary(frame)
    else:
        ws.send(frame)
    try:
        while True:
            if ws.recv() in ("", None, "1"):     # the end, or engine.io's close packet
                return "closed"
    except websocket.WebSocketConnectionClosedException:
        return "closed"
    except websocket.WebSocketTimeoutException:
        return "silence"


def _assert_no_traceback(server):
    time.sleep(0.5)
    output = server.output()
    assert "Traceback" not in output, output[-4000:]
    return output


@pytest.mark.parametrize("mode", ["threading", "gevent"])
def test_malformed_websocket_frames_close_the_connection_without_traceback(servers, mode):
    server = servers(mode)
    outcomes = {}
    for frame in BAD_FRAMES:
        ws = _open_websocket(server)
        try:
            started = time.monotonic()
            outcomes[frame] = _answer(ws, frame)
            if time.monotonic() - started > PROMPT:
                outcomes[frame] = "late"
        except Exception as error:
            outcomes[frame] = repr(error)
        finally:
            ws.close()
    assert {frame: outcome for frame, outcome in outcomes.items() if outcome != "closed"} == {}
    assert "malformed frame" in _assert_no_traceback(server)


@pytest.mark.parametrize("mode", ["threading", "gevent"])
def test_malformed_and_oversized_polling_posts_get_a_prompt_answer(servers, mode):
    server = servers(mode)
    outcomes = {}
    for frame in BAD_FRAMES + ["4" + "x" * 40000]:
        url = _open_polling(server)
        kind = "application/octet-stream" if isinstance(frame, bytes) else "text/plain;charset=UTF-8"
        try:
            response = requests.post(url, data=frame, timeout=PROMPT, headers={"Content-Type": kind})
            outcomes[frame[:10]] = response.status_code
        except Exception as error:
            outcomes[frame[:10]] = repr(error)
    assert {frame: outcome for frame, outcome in outcomes.items() if outcome not in (200, 400, 413)} == {}
    _assert_no_traceback(server)
