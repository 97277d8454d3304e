"""The client's address, for the log-in lock-out (django-axes: AXES_CLIENT_IP_CALLABLE).

Taken from a header only when the operator says a trusted proxy sets it (TRUSTED_PROXY_HEADER,
e.g. HTTP_X_FORWARDED_FOR, with TRUSTED_PROXY_COUNT proxies in front of the platform). Each proxy
appends the address it received the request from, so the client is the entry that many places
from the right: what a client writes into the header itself sits further left and is never
read. Without a configured header, the connection's address (REMOTE_ADDR) is used and any
forwarded header is ignored.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote
    entries = [e.strip() for e in request.META.get(header, "").split(",") if e.strip()]
    count = max(settings.TRUSTED_PROXY_COUNT, 1)
    if len(entries) < count:
        # Not through the proxies as configured (a direct request, or a misconfigured proxy).
        return remote
    return _address(entries[-count]) or remote


def _address(entry: str) -> str | None:
    """An IPv4 or IPv6 address, with any port or brackets a proxy added removed."""
    candidates = [entry]
    if entry.startswith("[") and "]" in entry:  # [2001:db8::1]:443
        candidates.append(entry[1 : entry.index("]")])
    elif entry.count(":") == 1:  # 203.0.113.7:51234
        candidates.append(entry.split(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
