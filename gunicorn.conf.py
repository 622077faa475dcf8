"""gunicorn's settings for the quiz site; `make run` and the systemd unit use them.

Each can be overridden on the command line (`make run` passes --bind).
"""

import multiprocessing
import os

wsgi_app = "quizsite.wsgi:application"

# Loopback only: the reverse proxy on this machine is the way in (docs/deployment.md).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, each one request at a time: 2 x cores + 1, gunicorn's advice.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)

# A request that takes longer than this is stuck: its worker is killed and replaced.
timeout = 30
# On SIGHUP (a reload) or SIGTERM (a stop), workers finish the requests they have.
graceful_timeout = 30
keepalive = 5
# Replace each worker after about ten thousand requests, so no leak can grow for long.
# A new worker imports the site and compiles its templates again: about 0.7 s of CPU
# (bench/README.md), which after every thousand requests was 0.7 ms added to each.
max_requests = 10000
max_requests_jitter = 1000

# No run-time control socket: systemd's signals do the job, and its default path in
# the home folder would be shared by every gunicorn of that user.
control_socket_disable = True

# Believe X-Forwarded-Proto only from the proxy on this machine.
forwarded_allow_ips = "127.0.0.1,::1"

# Both logs to standard output, one line per event. The access line: time, the
# client's address as the proxy saw it, method path and protocol, status, bytes,
# milliseconds taken. No cookies, and no other header.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(t)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms'


def post_worker_init(worker) -> None:
    """Once a worker has loaded the site: what it holds for its whole life (Django,
    the site's modules, their settings) leaves the garbage collector's reach
    (Python's `gc.freeze`). Before, each full collection went through some 110,000
    such objects, about 80 ms every few hundred requests; after, through 26,000
    (bench/README.md, eighteenth round). Garbage made so far is collected first."""
    import gc

    gc.collect()
    gc.freeze()
