"""The security headers that neither Django's SecurityMiddleware nor django-csp sends.

Django sends X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy and
X-Frame-Options (settings SECURE_*, X_FRAME_OPTIONS); django-csp sends the
Content-Security-Policy (settings.CONTENT_SECURITY_POLICY). This adds:

- Permissions-Policy: the browser features no page of the platform uses are switched off for it
  and for anything it might embed (settings.PERMISSIONS_POLICY);
- Cross-Origin-Resource-Policy: another site cannot load the platform's responses (a receipt, a
  decision) into its own page.
"""

import base64
import hashlib
from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

# The Django admin's own pages are served by installed packages that still carry one fixed
# inline style attribute: django-simple-history's object history ("border-top: 0" on its
# paginator). The admin's policy allows that exact value by its hash and nothing else:
# 'unsafe-hashes' covers style attributes whose hash is listed, never 'unsafe-inline'.
ADMIN_STYLE_ATTRIBUTES = ("border-top: 0",)


def csp_hash(source: str) -> str:
    """The policy's source expression that allows exactly this inline text."""
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode("ascii")
    return f"'sha256-{digest}'"


ADMIN_STYLE_ATTRIBUTE_HASHES = tuple(csp_hash(value) for value in ADMIN_STYLE_ATTRIBUTES)


def permissions_policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """`camera=(), fullscreen=(self)`: each feature with the origins allowed to use it ("self",
    or an origin written out, quoted as the header's syntax requires)."""
    parts = []
    for feature, allowed in policy.items():
        origins = " ".join(
            origin if origin in ("self", "*") else f'"{origin}"' for origin in allowed
        )
        parts.append(f"{feature}=({origins})")
    return ", ".join(parts)


class SecurityHeadersMiddleware:
    """Listed right after csp.middleware.CSPMiddleware, so that on the way out it runs first:
    the admin's allowance it records is then part of the policy that CSPMiddleware writes.
    A header a view set itself is left as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path_info.startswith(reverse("admin:index")):
            response._csp_update = {  # type: ignore[attr-defined]  # read by CSPMiddleware
                "style-src-attr": ["'unsafe-hashes'", *ADMIN_STYLE_ATTRIBUTE_HASHES]
            }
        return response
