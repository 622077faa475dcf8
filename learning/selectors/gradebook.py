"""Grades per student and assigned quiz, by each quiz's grading method.

`final_grade` and `standing_for` are pure; `classroom_gradebook` and
`student_assignments` read everything they need in a fixed number of queries
(four and two), whatever the size of the class. Beside the assignments, the
class's gradebook shows each student's live games hosted by the class's teacher:
practice, kept apart from the grades (see docs/architecture.md).
"""

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from statistics import fmean

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from ..formatting import name_key
from ..models import Assignment, Attempt, Classroom, LiveResult, Membership, Quiz


@dataclass(frozen=True)
class AttemptRecord:
    number: int
    is_open: bool
    percent: float | None
    finished_at: datetime | None
    attempt_id: int | None = None


@dataclass(frozen=True)
class Standing:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    GRADED = "graded"

    status: str
    percent: float | None = None
    late: bool = False
    attempts: int = 0
    # The attempt a gradebook cell opens when there is only one.
    only_attempt: int | None = None
    quiz_id: int | None = None


def final_grade(method: str, percents: Sequence[float]) -> float | None:
    """The grade of finished attempts given in the order they were made."""
    if not percents:
        return None
    if method == Quiz.Grading.AVERAGE:
        return fmean(percents)
    if method == Quiz.Grading.FIRST:
        return percents[0]
    if method == Quiz.Grading.LAST:
        return percents[-1]
    return max(percents)


def standing_for(
    attempts: Sequence[AttemptRecord], *, method: str, due_at: datetime, now: datetime
) -> Standing:
    """A student's standing on one assignment. Late means the first finished
    attempt came after the due date or, with none finished, that it is overdue."""
    ordered = sorted(attempts, key=lambda a: a.number)
    only = ordered[0].attempt_id if len(ordered) == 1 else None
    done = [a for a in ordered if not a.is_open]
    if done:
        grade = final_grade(method, [a.percent or 0.0 for a in done])
        first = done[0].finished_at
        return Standing(
            Standing.GRADED,
            percent=None if grade is None else round(grade, 1),
            late=first is not None and first > due_at,
            attempts=len(ordered),
            only_attempt=only,
        )
    status = Standing.IN_PROGRESS if ordered else Standing.NOT_STARTED
    return Standing(status, late=now > due_at, attempts=len(ordered), only_attempt=only)


def _records(students: Sequence[int], quizzes: Sequence[int]):
    """Every attempt of these students at these quizzes, by (student, quiz): one query."""
    found: dict[tuple[int, int], list[AttemptRecord]] = defaultdict(list)
    rows = Attempt.objects.filter(user_id__in=students, quiz_id__in=quizzes).values_list(
        "user_id", "quiz_id", "number", "state", "score", "max_score", "finished_at", "id"
    )
    for user_id, quiz_id, number, state, score, max_score, finished_at, pk in rows:
        percent = 100 * score / max_score if score is not None and max_score else None
        found[user_id, quiz_id].append(
            AttemptRecord(number, state == Attempt.State.IN_PROGRESS, percent, finished_at, pk)
        )
    return found


@dataclass(frozen=True)
class LiveGames:
    """A student's finished live games of quizzes: how many, and the share of the
    questions asked that they got right (with partial credit), in percent."""

    games: int = 0
    percent: float | None = None


def _live_games(students: Sequence[int], host_id: int) -> dict[int, LiveGames]:
    """The live games these students played in games the host ran: one query."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0])
    rows = LiveResult.objects.filter(user_id__in=students, game__host_id=host_id).values_list(
        "user_id", "credit", "asked"
    )
    for user_id, credit, asked in rows:
        total = sums[user_id]
        total[0] += 1
        total[1] += credit
        total[2] += asked
    return {
        user_id: LiveGames(games, round(100 * credit / asked, 1) if asked else None)
        for user_id, (games, credit, asked) in sums.items()
    }


def display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


@dataclass
class Row:
    student: AbstractBaseUser
    standings: list[Standing] = field(default_factory=list)
    live: LiveGames = LiveGames()

    @property
    def name(self) -> str:
        return display_name(self.student)


@dataclass
class Gradebook:
    assignments: list[Assignment]
    rows: list[Row]
    # Every student of the class, whatever a filter keeps in `rows`.
    everyone: list[Row] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Names everything the table's rows show (each student, their name and
        standings, in order), so the template keeps the rows it drew under it."""
        shown = [(row.student.pk, row.name, row.standings, row.live) for row in self.rows]
        return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()

    def completion(self) -> list[tuple[Assignment, int, int]]:
        """(assignment, students with a finished attempt, students) per column."""
        rows = self.everyone or self.rows
        total = len(rows)
        return [
            (a, sum(row.standings[i].status == Standing.GRADED for row in rows), total)
            for i, a in enumerate(self.assignments)
        ]


# What the gradebook can keep to: every student, those with late work, those
# with an assignment not started.
FILTERS = ("all", "late", "not_started")


def _grade_key(standing: Standing) -> tuple:
    """Graded by percent, then in progress, then not started."""
    if standing.status == Standing.GRADED:
        return (0, standing.percent or 0.0)
    return (1 if standing.status == Standing.IN_PROGRESS else 2, 0.0)


def arranged(book: Gradebook, *, sort: str = "name", show: str = "all") -> Gradebook:
    """The gradebook sorted by a column ("name", or an assignment's id; "-" first
    for descending) and kept to the rows `show` names. An unknown column sorts by
    name; an unknown filter shows everyone."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    rows = list(book.rows)
    if show == "late":
        rows = [r for r in rows if any(s.late for s in r.standings)]
    elif show == "not_started":
        rows = [r for r in rows if any(s.status == Standing.NOT_STARTED for s in r.standings)]
    rows.sort(key=lambda r: name_key(r.name), reverse=descending and column == "name")
    ids = [str(a.pk) for a in book.assignments]
    if column in ids:
        i = ids.index(column)
        graded = [r for r in rows if r.standings[i].status == Standing.GRADED]
        others = [r for r in rows if r.standings[i].status != Standing.GRADED]
        graded.sort(key=lambda r: _grade_key(r.standings[i]), reverse=descending)
        others.sort(key=lambda r: _grade_key(r.standings[i]))
        rows = graded + others
    return Gradebook(book.assignments, rows, book.everyone or book.rows)


def classroom_gradebook(classroom: Classroom, *, now: datetime, descending: bool = False):
    assignments = list(
        Assignment.objects.filter(classroom=classroom).select_related("quiz").order_by("due_at")
    )
    students = [
        m.student for m in Membership.objects.filter(classroom=classroom).select_related("student")
    ]
    students.sort(key=lambda s: name_key(display_name(s)), reverse=descending)
    records = _records([s.pk for s in students], [a.quiz_id for a in assignments])
    live = _live_games([s.pk for s in students], classroom.teacher_id)
    rows = [
        Row(
            student,
            [_standing(records, student.pk, a, now) for a in assignments],
            live.get(student.pk, LiveGames()),
        )
        for student in students
    ]
    return Gradebook(assignments, rows)


def student_assignments(student: AbstractBaseUser, *, now: datetime):
    """The student's assignments in all their classes, soonest due first, each
    with the student's standing."""
    assignments = list(
        Assignment.objects.for_student(student)
        .select_related("quiz", "classroom")
        .order_by("due_at", "id")
    )
    records = _records([student.pk], [a.quiz_id for a in assignments])
    return [(a, _standing(records, student.pk, a, now)) for a in assignments]


def _standing(records: dict, student_id: int, assignment: Assignment, now: datetime) -> Standing:
    """One student's standing on one assignment, from the records _records() read."""
    standing = standing_for(
        records.get((student_id, assignment.quiz_id), []),
        method=assignment.quiz.grading_method,
        due_at=assignment.due_at,
        now=now,
    )
    return replace(standing, quiz_id=assignment.quiz_id)


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def gradebook_table(book: Gradebook) -> list[list[str]]:
    """The gradebook as rows of text for a CSV file, a header first; text that a
    spreadsheet would run as a formula is quoted."""
    header = [_("Student"), _("Username")]
    for assignment in book.assignments:
        title = assignment.quiz.title
        header += [
            _spreadsheet_text(title),
            _spreadsheet_text(_("%(quiz)s: late") % {"quiz": title}),
        ]
    header += [_("Live games played"), _("Live games: percent right")]
    table = [header]
    for row in book.rows:
        line = [_spreadsheet_text(row.name), _spreadsheet_text(row.student.get_username())]
        for standing in row.standings:
            grade = "" if standing.percent is None else f"{standing.percent:.1f}"
            line += [grade, _("late") if standing.late else ""]
        live = "" if row.live.percent is None else f"{row.live.percent:.1f}"
        line += [str(row.live.games), live]
        table.append(line)
    return table
