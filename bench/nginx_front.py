"""nginx in front of the application hosts, for bench/load_bench.py --through-nginx: the shipped
deploy/nginx/agora.conf with only its addresses, ports and paths rewritten (as
tests/scaleout/test_nginx.py does), a self-signed certificate made by openssl, nginx in the
foreground in a folder of its own."""
import os
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, "deploy", "nginx", "agora.conf")


class Front:
    def __init__(self, upstreams, http_port, https_port):
        self.folder = tempfile.mkdtemp(prefix="agora-nginx-")
        self.url = f"https://127.0.0.1:{https_port}"
        self.certificate, key = os.path.join(self.folder, "agora.crt"), os.path.join(self.folder, "agora.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key,
                        "-out", self.certificate], check=True, capture_output=True)
        with open(CONFIG) as handle:
            site = handle.read()
        for old, new in (("listen 80;", f"listen 127.0.0.1:{http_port};"),
                         ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
                         ("/etc/ssl/agora/agora.crt", self.certificate), ("/etc/ssl/agora/agora.key", key),
                         ("/srv/agora/static/", os.path.join(ROOT, "static") + "/"),
                         ("server 127.0.0.2:8000;", f"server {upstreams[0]};"),
                         ("server 127.0.0.3:8000;", f"server {upstreams[1]};")):
            if old not in site:
                raise RuntimeError(f"deploy/nginx/agora.conf no longer has {old!r}")
            site = site.replace(old, new)
        with open(os.path.join(self.folder, "agora.conf"), "w") as handle:
            handle.write(site)
        temp = "".join(f"{kind}_temp_path {self.folder}/{kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        with open(os.path.join(self.folder, "nginx.conf"), "w") as handle:
            handle.write(("user root;\n" if os.geteuid() == 0 else "") +
                         f"worker_processes 1;\npid {self.folder}/nginx.pid;\nerror_log {self.folder}/error.log;\n"
                         "events { worker_connections 1024; }\n"
                         f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp}"
                         f"include {self.folder}/agora.conf;\n}}\n")
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen([binary, "-p", self.folder, "-c", os.path.join(self.folder, "nginx.conf"),
                                         "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        context = self.ssl_context()
        for _ in range(75):
            try:
                urllib.request.urlopen(self.url + "/aide", timeout=2, context=context)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("nginx did not start")

    def ssl_context(self):
        return ssl.create_default_context(cafile=self.certificate)

    def pids(self):
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [self.process.pid] + [int(pid) for pid in children.split()]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        shutil.rmtree(self.folder, ignore_errors=True)
