"""The application servers a run drives: one gunicorn, as `make run` serves the site,
or several behind HAProxy sharing one Redis, the layout of docs/scaling.md.

tests/test_cluster.py uses the same balancer configuration, with the live game's
event-stream processes behind it too.
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from bench.clients import descendants, resident_mib

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

HAPROXY = """
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # Requests beyond a server's workers wait here, in order, not in its backlog.
    timeout queue 60s
    # A health check still waits for one request to finish: give it time, or a
    # loaded server is marked down and its students get 503s.
    timeout check 5s
    retries 3
    option redispatch
    # A request to a server that died before answering goes to another one.
    # Safe for every page: storing an answer or starting an attempt twice
    # changes nothing (tests/test_cluster.py checks it).
    retry-on conn-failure empty-response response-timeout
frontend site
    bind 127.0.0.1:{front}
{routes}    default_backend app
backend app
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    # maxconn: as many requests at once as the server has workers; the rest queue in
    # HAProxy, so a health check never waits behind a backlog (docs/scaling.md).
    default-server check inter 500ms fall 2 rise 2 maxconn {maxconn}
{servers}
"""

# The live game's event streams (quizsite/live_asgi.py): long GETs to the uvicorn
# processes, which share changes through Channels' layer on Redis (REDIS_URL). A
# stream cut by a dead process reconnects (its `retry: 1000`) and lands on another.
EVENTS_ROUTE = """    acl events path_beg /live/events/
    use_backend events if events
"""

EVENTS = """
backend events
    # Streams last a whole game: spread the open ones, not the requests.
    balance leastconn
    # A stream sends a comment every 15 s, well within `timeout server`.
    option httpchk GET /healthz
    http-check expect status 200
    default-server check inter 500ms fall 2 rise 2
{servers}
"""


def _servers(ports: dict[str, int]) -> str:
    return "\n".join(f"    server {name} 127.0.0.1:{port}" for name, port in ports.items())


def haproxy_config(
    front: int, ports: dict[str, int], workers: int, events: dict[str, int] | None = None
) -> str:
    """HAProxy in front of the named servers of `workers` workers each, and of the
    named event-stream processes for /live/events/ when given, checking /healthz on
    every one (docs/scaling.md)."""
    config = HAPROXY.format(
        front=front,
        routes=EVENTS_ROUTE if events else "",
        servers=_servers(ports),
        maxconn=workers,
    )
    return config + (EVENTS.format(servers=_servers(events)) if events else "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def system_program(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise SystemExit(f"{name} not found: install it from Debian's packages")
    return found


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and all its descendants so far,
    those that exited included: a parent is charged its children's time when it
    reaps them, so workers that gunicorn replaced are counted too."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            # Fields after the command name: utime, stime, cutime, cstime are 11-14.
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue  # exited between two reads: its parent has its time
        total += sum(int(value) for value in fields[11:15]) / ticks
        todo += [int(child) for child in children]
    return total


def postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL server process on this machine (the postmaster
    is charged its backends' time when they exit), 0 when none runs here."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() == "postgres":
                parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                if (Path("/proc") / parent / "comm").read_text().strip() != "postgres":
                    total += process_cpu_seconds(int(entry.name))  # a postmaster
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


class Servers:
    """`count` gunicorns with `workers` sync workers each; with more than one,
    a Redis they share (REDIS_URL) and HAProxy in front of them."""

    def __init__(self, count: int, workers: int, work: Path, env: dict) -> None:
        self.count, self.workers, self.work = count, workers, work
        self.env = dict(env)
        self.gunicorns: list[subprocess.Popen] = []
        self.helpers: list[subprocess.Popen] = []
        self._logs: list = []

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.work / f"{name}.log", "w")  # noqa: SIM115 (open while it runs)
        self._logs.append(log)
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=log)

    def start(self) -> str:
        """Start them; the address to send requests to."""
        if self.count > 1:
            redis_port = free_port()
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
            self.helpers.append(
                self._spawn(
                    "redis",
                    [
                        system_program("redis-server"),
                        "--port",
                        str(redis_port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                )
            )
        ports = {f"app{n + 1}": free_port() for n in range(self.count)}
        for name, port in ports.items():
            self.gunicorns.append(
                self._spawn(
                    "gunicorn" if self.count == 1 else name,
                    [
                        str(BIN / "gunicorn"),
                        "--config",
                        "gunicorn.conf.py",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(self.workers),
                        "--access-logfile",
                        str(self.work / f"access-{name}.log"),
                    ],
                )
            )
        if self.count == 1:
            return f"http://127.0.0.1:{next(iter(ports.values()))}"
        front = free_port()
        config = self.work / "haproxy.cfg"
        config.write_text(haproxy_config(front, ports, self.workers))
        self.helpers.append(
            self._spawn("haproxy", [system_program("haproxy"), "-f", str(config), "-db"])
        )
        return f"http://127.0.0.1:{front}"

    def cpu_seconds(self) -> float:
        """CPU time of the application servers (not Redis, HAProxy or the database)."""
        return sum(process_cpu_seconds(server.pid) for server in self.gunicorns)

    def memory(self) -> dict[str, list[float]]:
        """Resident memory (MiB) of the application servers now: each gunicorn
        master, and each of their workers."""
        return {
            "masters": [resident_mib(server.pid) for server in self.gunicorns],
            "workers": [
                resident_mib(pid) for server in self.gunicorns for pid in descendants(server.pid)
            ],
        }

    def worker_boots(self) -> int:
        """Workers started so far (gunicorn replaces each after `max_requests`)."""
        names = ["gunicorn"] if self.count == 1 else [f"app{n + 1}" for n in range(self.count)]
        return sum(
            (self.work / f"{name}.log").read_text().count("Booting worker") for name in names
        )

    def error_lines(self) -> int:
        names = ["gunicorn"] if self.count == 1 else [f"app{n + 1}" for n in range(self.count)]
        return sum(
            1
            for name in names
            for line in (self.work / f"{name}.log").read_text().splitlines()
            if "Traceback" in line or "[ERROR]" in line
        )

    def stop(self) -> None:
        for process in self.gunicorns + self.helpers:
            process.terminate()
        for process in self.gunicorns + self.helpers:
            process.wait(timeout=60)
        for log in self._logs:
            log.close()
