"""Answers remembered for the length of one request (never shared between requests).

Kept in the WSGI environ rather than ``flask.g``: ``g`` belongs to the application context,
which a test (or a CLI command) may keep open across several requests.
"""
from flask import has_request_context, request

_KEY = "agora.memo"


def request_memo(key, compute):
    if not has_request_context():
        return compute()
    memo = request.environ.setdefault(_KEY, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget_memo(key):
    if has_request_context():
        request.environ.get(_KEY, {}).pop(key, None)
