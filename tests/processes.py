"""The app served by a real process of its own (gunicorn or ``python app.py``), for the tests that
need real sockets: started in a process group of its own, ready once a page answers, its output
kept in a log file to show when something goes wrong."""
import os
import signal
import subprocess
import sys
import time

import requests

from .conftest import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
GUNICORN = [os.path.join(BIN, "gunicorn"), "-c", "gunicorn.conf.py", "app:app"]


class ServedApp:
    """A server process on a free port of 127.0.0.1 (``start(command, env)``)."""

    def __init__(self, tmp_path, name):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance_path = str(tmp_path / f"instance-{self.port}")
        self.log = open(tmp_path / f"{name}-{self.port}.log", "w+")
        self.process = None

    def start(self, command, env, timeout=30):
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.url + "/aide", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"{command[0]} did not start:\n" + self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self, timeout=15):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
