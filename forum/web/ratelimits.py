"""Rate limits (Flask-Limiter): keys and limits shared by the views that write."""
import ipaddress
from datetime import timedelta

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.clock import now


def member_key():
    if current_user.is_authenticated:
        return f"member:{current_user.id}"
    return f"ip:{get_remote_address()}"


def login_key():
    """Attempts against one account, whatever address they come from."""
    return "login:" + (request.form.get("login") or "").strip().casefold()[:254]


def network_key():
    """The client's network: an IPv6 client holds a whole /64, so its address alone counts nothing."""
    address = get_remote_address() or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"net:{address}"
    prefix = 64 if ip.version == 6 else 32
    return f"net:{ipaddress.ip_network(f'{ip}/{prefix}', strict=False)}"


def registration_address_key():
    """Registrations with one email address, from wherever they come (the inbox is the victim)."""
    return "registration:" + (request.form.get("email") or "").strip().lower()[:254]


def registration_network_limit():
    return current_app.config["RATELIMIT_REGISTRATION_NETWORK"]


def registration_address_limit():
    return current_app.config["RATELIMIT_REGISTRATION_ADDRESS"]


def link_address_key():
    """Requests for an emailed link to one address (forgotten password, login link, confirmation)."""
    return "links:" + (request.form.get("email") or "").strip().lower()[:254]


def link_network_limit():
    return current_app.config["RATELIMIT_LINK_NETWORK"]


def link_address_limit():
    return current_app.config["RATELIMIT_LINK_ADDRESS"]


def is_new_member():
    days = current_app.config["NEW_MEMBER_DAYS"]
    return current_user.is_authenticated and current_user.created_at > now() - timedelta(days=days)


def posting_limit():
    if is_new_member():
        return current_app.config["RATELIMIT_POSTING_NEW_MEMBER"]
    return current_app.config["RATELIMIT_POSTING"]


def login_limit():
    return current_app.config["RATELIMIT_LOGIN"]


def succeeded(response):
    """Count only what went through (a redirect after success), not refused forms or previews."""
    return response.status_code in (302, 303)


def failed(response):
    return not succeeded(response)


def two_step_limit():
    return current_app.config["RATELIMIT_TWO_STEP"]


def wrong_code(response):
    """Count the codes refused (401) and malformed ones (422), not a page shown or a success."""
    return response.status_code in (401, 422)


def invitation_limit():
    return current_app.config["RATELIMIT_INVITATIONS"]
