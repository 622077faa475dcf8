"""What the bench's clients cost, and wrk as a second client for the GET pages.

Locust (Python, one process) models students; at saturation it may be the
bottleneck rather than the site. wrk (C, from Debian's packages) can saturate a
server from two threads: run beside locust's figures, the two show whether a
share of the ceiling is the site's or the client's. Each run's client CPU is
read from the kernel's accounting of the finished child process.
"""

import re
import resource
import shutil
import subprocess
from pathlib import Path

WRK = shutil.which("wrk")
_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_TOTAL = re.compile(r"(\d+) requests in")
_BAD = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def children_cpu_seconds() -> float:
    """User and system CPU of every child process this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_counted(command: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float]:
    """Run a client to its end; its result and the CPU seconds it (and its
    children) used."""
    before = children_cpu_seconds()
    done = subprocess.run(command, check=False, **kwargs)
    return done, children_cpu_seconds() - before


def wrk(url: str, *, cookies: dict[str, str], seconds: int, connections: int) -> dict:
    """One wrk run of GET `url`: requests per second, latency percentiles (ms),
    responses that were not 2xx/3xx, and wrk's own CPU per request (ms)."""
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    command = [
        WRK,
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "--header",
        f"Cookie: {cookie}",
        url,
    ]
    done, cpu = run_counted(command, capture_output=True, text=True, timeout=seconds + 60)
    out = done.stdout
    rps, total = _RPS.search(out), _TOTAL.search(out)
    if done.returncode != 0 or rps is None or total is None:
        raise SystemExit(f"wrk failed on {url}: {done.stderr or out}")
    bad = _BAD.search(out)
    latency = {p: float(v) * _UNIT_MS[unit] for p, v, unit in _LATENCY.findall(out)}
    requests = max(int(total.group(1)), 1)
    return {
        "Requests/s": float(rps.group(1)),
        "Request Count": str(requests),
        "50%": str(latency.get("50", "")),
        "95%": "",
        "99%": str(latency.get("99", "")),
        "Failure Count": bad.group(1) if bad else "0",
        "client CPU ms": 1000 * cpu / requests,
    }


def resident_mib(pid: int) -> float:
    """A process's resident memory (VmRSS) in MiB, 0 once it has exited."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        found += [int(child) for child in children]
        todo += [int(child) for child in children]
    return found
