"""gunicorn's settings for production (`gunicorn --config config/gunicorn.conf.py config.wsgi`,
as Procfile.production runs it). Every value can be set from the environment, so one file serves
one machine or several.

Why gunicorn: the platform is a synchronous Django application (the ORM, documents made in the
request), so a pre-forking WSGI server is the plain fit: mature, no system library, a worker
that dies or hangs is replaced, and it restarts its workers one at a time on SIGHUP (a deploy
without dropped requests). Threads (gthread) let a worker wait on one slow client or query while
serving others; processes use both cores (Python's lock keeps one thread running per process).
"""

import multiprocessing
import os

# Where it listens: GUNICORN_BIND (e.g. 0.0.0.0:8000, or unix:/run/platform.sock), else PORT.
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Processes: WEB_CONCURRENCY, else two per core and one more (gunicorn's own advice).
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer is killed and its worker replaced (documents and a small matching
# run in the request stay well under it; large matchings run on the task queue).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once): memory a
# library holds on to is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The addresses of the proxies whose X-Forwarded-* headers are believed (the TLS proxy).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs to stdout (the process manager collects them): errors, and one line per request.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "request": "%(r)s", "status": %(s)s, '
    '"bytes": "%(B)s", "ms": %(M)s, "pid": "%(p)s"}'
)
# The production settings unless the environment names others.
raw_env = [
    "DJANGO_SETTINGS_MODULE="
    + os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.production")
]
