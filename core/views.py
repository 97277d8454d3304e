"""The endpoint that browsers send Content-Security-Policy violation reports to.

Anyone may post to it (a browser sends the report without a CSRF token, and a hostile script may
post whatever it likes), so it writes nothing but a bounded log line: no database row, no
e-mail. A body over CSP_REPORT_MAX_BYTES is refused unread; at most CSP_REPORTS_LOGGED_PER_MINUTE
reports are logged each minute, the rest counted; whatever arrives, the answer is never a 500.
"""

import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("core.csp")

# Each field of a report that is logged, under its name in the two report formats: the legacy
# `report-uri` one (application/csp-report) and the Reporting API's (application/reports+json).
_FIELDS = {
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
    "blocked": ("blocked-uri", "blockedURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "sample": ("script-sample", "sample"),
}
_FIELD_MAX_CHARS = 300


class _BadReport(ValueError):
    """The body is not a violation report in either format."""


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Logs each violation of a report (under "core.csp", as a warning) and answers 204."""
    limit = settings.CSP_REPORT_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _refused(413)
    try:
        body = request.read(limit + 1)
        if len(body) > limit:
            return _refused(413)
        violations = list(_violations(json.loads(body)))
    except (ValueError, _BadReport):  # also UnicodeDecodeError and json's JSONDecodeError
        return _refused(400)
    except OSError:  # the client went away mid-body
        return _refused(400)
    try:
        for violation in violations:
            if _may_log():
                logger.warning("Content-Security-Policy violation: %s", _describe(violation))
    except Exception:  # a report must never turn into a 500 (the cache may be down)
        logger.exception("Could not record a Content-Security-Policy report")
    return HttpResponse(status=204)


def _refused(status: int) -> HttpResponse:
    """A refusal that Django does not log: anyone can post, and a flood of bad bodies must not
    flood the log (django.utils.log.log_response skips a response marked as logged)."""
    response = HttpResponse(status=status)
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _violations(payload: Any) -> Iterator[dict[str, Any]]:
    """The violations of either format: `{"csp-report": {...}}` or `[{"type":
    "csp-violation", "body": {...}}, ...]` (other kinds of Reporting API report are skipped)."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        yield payload["csp-report"]
    elif isinstance(payload, list):
        for report in payload:
            if not isinstance(report, dict):
                raise _BadReport
            if report.get("type") == "csp-violation" and isinstance(report.get("body"), dict):
                yield report["body"]
    else:
        raise _BadReport


def _may_log() -> bool:
    """Whether this report is among the first CSP_REPORTS_LOGGED_PER_MINUTE of its minute; the
    first one over it logs that the others are dropped."""
    key = f"core.csp.reports.{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    count = cache.incr(key)
    allowed = settings.CSP_REPORTS_LOGGED_PER_MINUTE
    if count == allowed + 1:
        logger.warning(
            "Over %d Content-Security-Policy reports this minute: the others are not logged",
            allowed,
        )
    return count <= allowed


def _describe(violation: dict[str, Any]) -> str:
    values = {}
    for name, keys in _FIELDS.items():
        value = next((violation[key] for key in keys if violation.get(key) not in (None, "")), "")
        text = str(value)
        if name in ("document", "source", "blocked"):
            text = _without_query(text)
        values[name] = text[:_FIELD_MAX_CHARS].replace("\n", " ")
    return (
        f"{values['directive']} blocked {values['blocked'] or 'inline'} on {values['document']}"
        f" ({values['source']}:{values['line']}) {values['sample']}"
    ).strip()


def _without_query(url: str) -> str:
    """A page's address without its query string or fragment, which may carry a token."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
