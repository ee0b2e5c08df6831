"""Probes for operators and for the scale-out tests.

``/_sante`` answers 200 when the database answers, 503 otherwise (for a load balancer's health
check). ``/_bench/contexte`` (``BENCH_HOOKS``, loopback only) shows whether a request started
with a fresh ``g`` and a fresh database session: the mistake seen in a peer forum, whose
workers were forked inside an application context and so served one member's page to another.
"""
import secrets
import time

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_login import current_user
from sqlalchemy import text

from forum.extensions import db

bp = Blueprint("probes", __name__)
LOOPBACK = ("127.0.0.1", "::1")


@bp.route("/_sante")
def health():
    db.session.execute(text("SELECT 1"))   # raises: the 503 page of pages._database_unavailable
    return jsonify(ok=True)


@bp.route("/_bench/contexte")
def context_probe():
    if not current_app.config["BENCH_HOOKS"] or request.remote_addr not in LOOPBACK:
        abort(404)
    token, started = secrets.token_hex(8), time.time()
    session = db.session()
    report = {"g_fresh": not hasattr(g, "agora_probe"), "session_fresh": "agora_probe" not in session.info}
    g.agora_probe = session.info["agora_probe"] = token
    user = current_user.id if current_user.is_authenticated else None
    session.execute(text("SELECT 1"))
    # Under gevent the pause lets the worker serve other requests meanwhile.
    time.sleep(min(float(request.args.get("pause", 0) or 0), 1.0))
    report.update(user=user, g_kept=getattr(g, "agora_probe", None) == token,
                  session_kept=db.session().info.get("agora_probe") == token and db.session() is session,
                  user_kept=(current_user.id if current_user.is_authenticated else None) == user,
                  span=[started, time.time()])
    return jsonify(report)
