"""Where a webhook may send: an http or https address whose host is not this machine nor a
private network, unless ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` says so (a receiver on the same
network; the tests).

Checked twice: when the address is typed (its form, and a host written as an IP address), and
when a delivery leaves (every address the name resolves to, then the connection is made to the
address checked, so a name that resolves elsewhere the second time reaches nothing new).
"""
import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from forum.errors import Invalid

from .models import URL_MAX

LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class Refused(Exception):
    """A delivery's address is not allowed (its message goes to the delivery log)."""


def private_allowed():
    return bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE_ADDRESSES"))


def is_public(address):
    """Is ``address`` (an ``ipaddress`` object) on the public Internet?"""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _literal(host):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url):
    """The address typed for a webhook, stripped, or ``Invalid`` at the field ``url``."""
    url = (url or "").strip()
    if not url:
        raise Invalid({"url": _("Indiquez l'adresse qui recevra les événements.")})
    if len(url) > URL_MAX:
        raise Invalid({"url": _("Cette adresse est trop longue (%(max)s caractères au plus).", max=URL_MAX)})
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise Invalid({"url": _("Une adresse ne contient ni espace ni caractère de contrôle.")})
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise Invalid({"url": _("Cette adresse n'est pas valide.")}) from None
    if parts.scheme not in ("http", "https"):
        raise Invalid({"url": _("L'adresse doit commencer par http:// ou https://.")})
    if not host:
        raise Invalid({"url": _("Cette adresse n'est pas valide.")})
    if parts.username is not None or parts.password is not None:
        raise Invalid({"url": _("Pas d'identifiant ni de mot de passe dans l'adresse : le secret signe chaque envoi.")})
    if port == 0:
        raise Invalid({"url": _("Cette adresse n'est pas valide.")})
    if not private_allowed():
        literal = _literal(host)
        if host.lower().rstrip(".") in LOCAL_NAMES or (literal is not None and not is_public(literal)):
            raise Invalid({"url": _("Cette adresse désigne ce serveur ou un réseau privé : elle est refusée.")})
    return url


def resolve(url):
    """(host, port, the IP address to connect to) for a delivery; ``Refused`` if not allowed."""
    parts = urlsplit(url)
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(f"adresse introuvable ({error})") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    if not addresses:
        raise Refused("adresse introuvable")
    if not private_allowed() and not all(is_public(address) for address in addresses):
        raise Refused("adresse privée ou locale refusée")
    return host, port, str(addresses[0])
