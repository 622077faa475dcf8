"""The load bench: seed a school, serve it with gunicorn, drive it with locust, report.

Run it with `make bench` (bench/README.md says how to read the results). Every
size and duration comes from the environment; the defaults are the issue's
full size. Everything listens on 127.0.0.1 only, and every loop and run is
bounded in count and time.
"""

import csv
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import pages
from bench.clients import WRK, run_counted, wrk
from bench.servers import Servers, postgres_cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


SEED = {
    "--seed": env_int("SEED", 8),
    "--classrooms": env_int("SEED_CLASSROOMS", 40),
    "--students-per-class": env_int("SEED_STUDENTS_PER_CLASS", 50),
    "--banks": env_int("SEED_BANKS", 20),
    "--questions": env_int("SEED_QUESTIONS", 2000),
    "--quizzes": env_int("SEED_QUIZZES", 50),
    "--attempts": env_int("SEED_ATTEMPTS", 100_000),
    "--reviews": env_int("SEED_REVIEWS", 200_000),
}
WORKERS = env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)
# 2 or more: that many gunicorns behind HAProxy sharing a Redis (docs/scaling.md).
SERVERS = env_int("BENCH_SERVERS", 1)
SATURATION_USERS = env_int("SATURATION_USERS", 16)
SATURATION_SECONDS = env_int("SATURATION_SECONDS", 30)
POOL = env_int("SATURATION_POOL", 200)
WRK_SECONDS = env_int("WRK_SECONDS", 10)
EXAM = {
    "students": env_int("EXAM_STUDENTS", 2000),
    "start_seconds": env_float("EXAM_START_SECONDS", 5),
    "minutes": env_float("EXAM_MINUTES", 10),
    "think_min": env_float("THINK_MIN", 30),
    "think_max": env_float("THINK_MAX", 90),
    "finishers": env_int("FINISHERS", 200),
    "finish_think_min": env_float("FINISH_THINK_MIN", 1),
    "finish_think_max": env_float("FINISH_THINK_MAX", 3),
}
PAGES = [
    ("QuestionPage", "question page"),
    ("AnswerPost", "answer POST"),
    ("CardPage", "flashcard review page"),
    ("RatingPost", "rating POST"),
    ("StudentHome", "student home page"),
    ("Gradebook", "classroom gradebook"),
    ("ClassOverview", "class overview"),
    ("QuestionStatistics", "question statistics"),
]
CEILING = ("Ceiling", "ceiling")
# The ceiling runs before the first page, between every two and after the last:
# a shared machine's speed drifts over minutes, and each page is compared with the
# ceiling measured just before and just after it.
RUNS = [CEILING]
for _page in PAGES:
    RUNS += [_page, CEILING]


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def manage(*args: str, env: dict) -> str:
    done = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    return done.stdout.strip()


def database_kind() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def reset_postgres(url: str) -> None:
    """Empty the bench's own database. Refuses a database whose name lacks 'bench'."""
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    if "bench" not in name:
        raise SystemExit(f"Refusing to wipe database {name!r}: its name must contain 'bench'.")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


PREPARE = """
import json, os
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from bench.answers import answer_data
from learning import services
from learning.models import CardState, Classroom, Question, Quiz

def session(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

pool, wanted = int(os.environ["BENCH_POOL"]), int(os.environ["BENCH_WANTED"])
drill = Quiz.objects.get(slug="load-drill")
students = []
for user in User.objects.filter(username__startswith="student").order_by("username")[:wanted]:
    entry = {"username": user.username, "session": session(user)}
    if len(students) < pool:
        attempt = services.attempt_start(user=user, quiz=drill)
        items = attempt.items.select_related("question").order_by("position")
        entry["answers"] = [(attempt.pk, i.position, answer_data(i)) for i in items]
        entry["cards"] = list(CardState.objects.filter(user=user).values_list("id", "version"))
    students.append(entry)
teachers = [
    {"session": session(c.teacher), "classroom": c.pk}
    for c in Classroom.objects.select_related("teacher").order_by("id")
]
print(json.dumps({"students": students, "teachers": teachers}))
"""

VERIFY = """
import json, os
from django.db.models import Count, Q
from learning.models import Attempt, AttemptItem

acks = json.load(open(os.environ["BENCH_ACKS"]))
exam = Attempt.objects.filter(quiz__slug="load-exam")
items = AttemptItem.objects.filter(attempt__in=exam)
answered = set(items.filter(answered_at__isnull=False).values_list("attempt_id", "position"))
acked = {tuple(pair) for pair in acks["answers"]}
per_attempt = exam.annotate(n=Count("items"), q=Count("items__question", distinct=True))
print(json.dumps({
    "attempts": exam.count(),
    "students_with_two": exam.values("user").annotate(n=Count("id")).filter(n__gt=1).count(),
    "acknowledged": len(acks["answers"]),
    "acknowledged_distinct": len(acked),
    "acknowledged_missing": len(acked - answered),
    "answered_in_db": len(answered),
    "attempts_with_duplicated_items": per_attempt.filter(~Q(n=30) | ~Q(q=30)).count(),
    "finish_acknowledged": len(acks["finished"]),
    "finish_missing": exam.filter(pk__in=acks["finished"]).exclude(state="finished").count(),
    "finished_in_db": exam.filter(state="finished").count(),
}))
"""


def django_script(script: str, *, env: dict) -> dict:
    """Run a script in `manage.py shell`; its last printed line is JSON."""
    return json.loads(manage("shell", "-c", script, env=env).splitlines()[-1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds} s.")


def locust(
    user_class: str,
    out: Path,
    *,
    users: int,
    rate: float,
    seconds: float,
    host: str,
    env: dict,
    reset: bool = True,
) -> float:
    """Run locust to its end; the CPU seconds it used."""
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(rate),
        "--run-time",
        f"{int(seconds)}s",
        "--host",
        host,
        "--csv",
        str(out),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
        user_class,
    ]
    if reset:
        command.insert(-1, "--reset-stats")
    _done, cpu = run_counted(
        command, cwd=ROOT, env=env, timeout=seconds + 300, stdout=subprocess.DEVNULL
    )
    return cpu


def read_stats(prefix: Path) -> dict[str, dict]:
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] != "Aggregated":
                rows[row["Name"]] = row
    return rows


def machine() -> dict[str, str]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cores": str(os.cpu_count()),
        "cpu": model,
        "memory": f"{kib / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def code_version() -> str:
    """The commit measured, so that a results file says which code it describes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "not a git checkout"
    # Tracked files only: a checkout's own .venv or results are not changes to the code.
    changed = git("status", "--porcelain", "--untracked-files=no")
    return commit + (" with uncommitted changes" if changed else "")


def cell(row: dict, key: str) -> str:
    value = row.get(key, "")
    return "" if value in ("", "N/A") else f"{float(value):.0f}"


def table(rows: list[tuple[str, dict]], saturated: bool = False) -> list[str]:
    """Locust's figures per request; `saturated` adds each page's share of its own
    ceiling (row["ceiling"]) and the server's CPU per request."""
    head = "| request | requests | rps | p50 ms | p95 ms | p99 ms | failures |"
    rule = "|---|---:|---:|---:|---:|---:|---:|"
    if saturated:
        head += " its ceiling rps | share of ceiling | server CPU ms | client CPU ms |"
        rule += "---:|---:|---:|---:|"
    lines = [head, rule]
    for name, row in rows:
        rps = float(row["Requests/s"])
        line = (
            f"| {name} | {row['Request Count']} | {rps:.1f} | {cell(row, '50%')} | "
            f"{cell(row, '95%')} | {cell(row, '99%')} | {row['Failure Count']} |"
        )
        if saturated:
            line += (
                f" {row['ceiling']:.1f} | {100 * rps / row['ceiling']:.0f} % |"
                f" {row['server CPU ms']:.2f} | {row['client CPU ms']:.2f} |"
            )
        lines.append(line)
    return lines


def with_ceilings(results: list[tuple[str, dict]]) -> tuple[list, list[float], float]:
    """Each page's row with the mean of the ceiling runs just before and after it
    (row["ceiling"]); the ceiling runs' rps; a ceiling request's server CPU."""
    ceilings = [float(row["Requests/s"]) for name, row in results if name == "ceiling"]
    ceiling_cpu = sum(row["server CPU ms"] for name, row in results if name == "ceiling")
    pages_ = []
    for n, (name, row) in enumerate(results):
        if name != "ceiling":
            before, after = results[n - 1][1], results[n + 1][1]
            row["ceiling"] = (float(before["Requests/s"]) + float(after["Requests/s"])) / 2
            pages_.append((name, row))
    return pages_, ceilings, ceiling_cpu / len(ceilings)


def wrk_runs(servers: Servers, host: str, data: dict) -> list[tuple[str, dict]]:
    """Every GET page by wrk, with a ceiling run before the first, between every two
    and after the last, as locust's runs."""
    first = data["students"][0]["session"]
    runs = [("ceiling", pages.CEILING, first)]
    for page in pages.get_pages(data):
        runs += [page, ("ceiling", pages.CEILING, first)]
    results = []
    for name, path, session in runs:
        say(f"wrk: {name}, {SATURATION_USERS} connections, {WRK_SECONDS} s")
        cpu, wall = servers.cpu_seconds(), time.monotonic()
        row = wrk(
            host + path,
            cookies={"sessionid": session, "csrftoken": data["csrf"]},
            seconds=WRK_SECONDS,
            connections=SATURATION_USERS,
        )
        busy = (servers.cpu_seconds() - cpu) / (time.monotonic() - wall)
        row["server CPU ms"] = 1000 * busy / max(row["Requests/s"], 1e-9)
        results.append((name, row))
    return results


def wrk_section(results: list[tuple[str, dict]]) -> list[str]:
    if not results:
        return ["wrk is not installed (apt-get install wrk): no second client's figures.", ""]
    measured, ceilings, ceiling_cpu = with_ceilings(results)
    return [
        f"## The GET pages by wrk (2 threads, {SATURATION_USERS} connections, "
        f"{WRK_SECONDS} s each)",
        "",
        "A second client, written in C, to show how much of the ceiling is the client's: "
        "ceiling "
        + ", ".join(f"{c:.1f}" for c in ceilings)
        + f" requests/s; the server's CPU for one ceiling request: {ceiling_cpu:.2f} ms. "
        "wrk reports no p95 (its percentiles are 50, 75, 90 and 99); *failures* are "
        "responses other than 2xx/3xx.",
        "",
        *table(measured, saturated=True),
        "",
    ]


def memory_table(memory: list[tuple[str, dict]]) -> list[str]:
    lines = [
        "| moment | masters MiB | workers | workers' MiB: smallest | largest | sum |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for moment, found in memory:
        workers = found["workers"] or [0.0]
        lines.append(
            f"| {moment} | {' + '.join(f'{m:.0f}' for m in found['masters'])} | "
            f"{len(found['workers'])} | {min(workers):.0f} | {max(workers):.0f} | "
            f"{sum(workers):.0f} |"
        )
    return lines


def main() -> None:
    kind = database_kind()
    work = Path(tempfile.mkdtemp(prefix=f"quizsite-bench-{kind}-"))
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATA_DIR": str(work),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    if kind == "postgresql":
        reset_postgres(os.environ["DATABASE_URL"])
    say(f"database {kind}, working in {work}")
    manage("migrate", "--noinput", env=env)
    seed_args = [str(part) for pair in SEED.items() for part in pair]
    seeded = manage("seed_load", *seed_args, env=env)
    say(seeded)
    manage("collectstatic", "--noinput", env=env)
    exam_students = EXAM["students"]
    wanted = str(max(exam_students, POOL))
    data = django_script(PREPARE, env={**env, "BENCH_POOL": str(POOL), "BENCH_WANTED": wanted})
    data["csrf"] = secrets.token_hex(16)
    data_file = work / "users.json"
    data_file.write_text(json.dumps(data))
    say(f"{len(data['students'])} student sessions, {POOL} with open drill attempts")

    servers = Servers(SERVERS, WORKERS, work, env)
    host = servers.start()
    loc_env = {**env, "BENCH_DATA": str(data_file)}
    memory: list[tuple[str, dict]] = []
    results: list[tuple[str, dict]] = []
    exam_rows: list[tuple[str, dict]] = []
    bound_rows: list[tuple[str, dict]] = []
    bound_cpu = 0.0
    finish_rows: list[tuple[str, dict]] = []
    try:
        wait_until_up(f"{host}/bench/ceiling/")
        memory.append(("started", servers.memory()))
        for n, (user_class, name) in enumerate(RUNS):
            say(f"saturating: {name}, {SATURATION_USERS} users, {SATURATION_SECONDS} s")
            out = work / f"page-{n}"
            cpu, wall = servers.cpu_seconds(), time.monotonic()
            client_cpu = locust(
                user_class,
                out,
                users=SATURATION_USERS,
                rate=SATURATION_USERS,
                seconds=SATURATION_SECONDS,
                host=host,
                env=loc_env,
            )
            row = read_stats(out)[name]
            # The server's CPU for one request: its cores busy over the run / rps.
            busy = (servers.cpu_seconds() - cpu) / (time.monotonic() - wall)
            row["server CPU ms"] = 1000 * busy / max(float(row["Requests/s"]), 1e-9)
            row["client CPU ms"] = 1000 * client_cpu / max(int(row["Request Count"]), 1)
            results.append((name, row))
        memory.append(("after the pages", servers.memory()))
        wrk_results = wrk_runs(servers, host, data) if WRK else []

        say(f"the start's bound: {exam_students} students, two ceiling requests each")
        bound_cpu = locust(
            "CeilingStart",
            work / "bound",
            users=exam_students,
            rate=exam_students / EXAM["start_seconds"],
            seconds=EXAM["start_seconds"] + 25,
            host=host,
            env=loc_env,
            reset=False,
        )
        bound_rows = sorted(read_stats(work / "bound").items())
        say(
            f"exam: {exam_students} students start within {EXAM['start_seconds']} s, "
            f"think {EXAM['think_min']}-{EXAM['think_max']} s, {EXAM['minutes']} min"
        )
        acks_1 = work / "acks-exam.json"
        exam_cpu = servers.cpu_seconds(), postgres_cpu_seconds()
        locust(
            "ExamStudent",
            work / "exam",
            users=exam_students,
            rate=exam_students / EXAM["start_seconds"],
            seconds=EXAM["minutes"] * 60,
            host=host,
            reset=False,
            env={
                **loc_env,
                "BENCH_ACKS": str(acks_1),
                "THINK_MIN": str(EXAM["think_min"]),
                "THINK_MAX": str(EXAM["think_max"]),
            },
        )
        exam_rows = sorted(read_stats(work / "exam").items())
        exam_cpu = servers.cpu_seconds() - exam_cpu[0], postgres_cpu_seconds() - exam_cpu[1]
        memory.append(("after the exam", servers.memory()))

        finishers = min(EXAM["finishers"], exam_students)
        say(
            f"exam: {finishers} students answer the rest and finish, "
            f"{EXAM['finish_think_min']}-{EXAM['finish_think_max']} s between answers"
        )
        acks_2 = work / "acks-finish.json"
        finish_seconds = 30 * EXAM["finish_think_max"] * 2 + 60
        locust(
            "ExamStudent",
            work / "finish",
            users=finishers,
            rate=finishers / 5,
            seconds=finish_seconds,
            host=host,
            reset=False,
            env={
                **loc_env,
                "BENCH_ACKS": str(acks_2),
                "BENCH_FINISH": "1",
                "FINISH_THINK_MIN": str(EXAM["finish_think_min"]),
                "FINISH_THINK_MAX": str(EXAM["finish_think_max"]),
            },
        )
        finish_rows = sorted(read_stats(work / "finish").items())
        memory.append(("after the finishers", servers.memory()))
        boots = servers.worker_boots()
    finally:
        servers.stop()

    merged = {"answers": [], "finished": []}
    for path in (acks_1, acks_2):
        if path.exists():
            found = json.loads(path.read_text())
            merged["answers"] += found["answers"]
            merged["finished"] += found["finished"]
    acks = work / "acks.json"
    acks.write_text(json.dumps(merged))
    check = django_script(VERIFY, env={**env, "BENCH_ACKS": str(acks)})
    errors = servers.error_lines()
    exam_answers = max(
        1, sum(int(row["Request Count"]) for name, row in exam_rows if "answer" in name)
    )

    measured, ceilings, ceiling_cpu = with_ceilings(results)
    ceiling = sum(ceilings) / len(ceilings)
    today = dt.date.today().isoformat()
    info = machine()
    version = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import django, sqlite3; print(django.get_version(), sqlite3.sqlite_version)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    lines = [
        f"# Load bench, {today}, {kind}",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, {info['os']}, "
        f"Python {info['python']}, Django {version[0]}, SQLite {version[1]}"
        + (f", {server_version(env)}" if kind == "postgresql" else "")
        + ".",
        (
            f"Server: gunicorn with gunicorn.conf.py (as `make run`), {WORKERS} sync workers, "
            if SERVERS == 1
            else f"Servers: {SERVERS} gunicorns with gunicorn.conf.py, {WORKERS} sync workers "
            "each, behind HAProxy (bench/servers.py, as docs/scaling.md), sharing one Redis; "
        )
        + "DEBUG off, on 127.0.0.1; locust in another process on the same machine.",
        f"Code: {code_version()}.",
        "",
        f"Data (`seed_load {' '.join(seed_args)}`): {seeded}",
        "",
        f"## Pages at saturation ({SATURATION_USERS} users without think time, "
        f"{SATURATION_SECONDS} s each)",
        "",
        f"Ceiling: {ceiling:.1f} requests/s on average, in {len(ceilings)} runs, one before "
        "the first page, one between every two and one after the last: "
        + ", ".join(f"{c:.1f}" for c in ceilings)
        + ". Each page's share is of the mean of the two ceiling runs around it. "
        f"The server's CPU for one ceiling request: {ceiling_cpu:.2f} ms.",
        "",
        "*server CPU ms*: CPU time gunicorn (its workers, replaced ones included) spent "
        "per request during the run"
        + (", not counting PostgreSQL's own processes" if kind == "postgresql" else "")
        + "; unlike requests per second it does not depend on how much of the machine "
        "locust takes.",
        "",
        *table(measured, saturated=True),
        "",
        *wrk_section(wrk_results),
        "## Memory",
        "",
        "Resident memory (VmRSS) of each gunicorn process; workers share the pages "
        "they were forked with, so their sum counts those more than once. gunicorn "
        f"replaces a worker after `max_requests`: {boots} workers booted in the run.",
        "",
        *memory_table(memory),
        "",
        f"## The exam ({exam_students} students start within {EXAM['start_seconds']:g} s, "
        f"{EXAM['think_min']:g}-{EXAM['think_max']:g} s thinking, {EXAM['minutes']:g} min)",
        "",
        *table(exam_rows),
        "",
        f"CPU per answer during the exam (every request of it over its answers): application "
        f"servers {1000 * exam_cpu[0] / exam_answers:.1f} ms"
        + (
            f", PostgreSQL {1000 * exam_cpu[1] / exam_answers:.1f} ms"
            if kind == "postgresql"
            else ""
        )
        + ".",
        "",
        "Before the exam, the same start with the ceiling page for Start and for the "
        "first question page, sent by the same client (`CeilingStart`): what this "
        "machine and the exam's client allow the cheapest page Django serves through "
        f"our middleware. locust's CPU for it: {bound_cpu:.1f} s.",
        "",
        *table(bound_rows),
        "",
        f"Then {finishers} students answer the rest, {EXAM['finish_think_min']:g}-"
        f"{EXAM['finish_think_max']:g} s apart, and finish:",
        "",
        *table(finish_rows),
        "",
        "## Verification",
        "",
        f"- answers acknowledged (302 onwards): {check['acknowledged']}; "
        f"missing from the database: {check['acknowledged_missing']}; "
        f"answered items in the database: {check['answered_in_db']}",
        f"- exam attempts: {check['attempts']}; students with two: {check['students_with_two']}; "
        f"attempts whose items are not 30 distinct questions: "
        f"{check['attempts_with_duplicated_items']}",
        f"- finishes acknowledged: {check['finish_acknowledged']}; not finished in the "
        f"database: {check['finish_missing']}; finished in the database: "
        f"{check['finished_in_db']}",
        f"- server errors logged (tracebacks): {errors}",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{today}-{kind}{'' if SERVERS == 1 else f'-{SERVERS}-servers'}.md"
    target.write_text(text, encoding="utf-8")
    say(f"wrote {target.relative_to(ROOT)}")
    if os.environ.get("BENCH_KEEP") != "1":
        shutil.rmtree(work, ignore_errors=True)


def server_version(env: dict) -> str:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0]


if __name__ == "__main__":
    main()
