"""gunicorn settings for Concertation (used by systemd/concertation.service and compose.yaml: -c deploy/gunicorn.conf.py)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
accesslog = "-"
# The request id (the one nginx sends, or the app's) ends each access line, as in the app's own logs.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss id=%({x-request-id}o)s'
forwarded_allow_ips = "127.0.0.1,::1"


def child_exit(server, worker):
    """Prometheus multiprocess mode: a dead worker's live gauges are dropped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
