"""The live game's points, as pure functions (Kahoot's rules, our credit).

A right answer is worth up to `BASE` points: all of them at once, half of them at
the last moment, in a straight line between; partial credit scales them. A run of
fully right answers adds `STREAK_STEP` for each one after the first, up to
`STREAK_MAX`. The elapsed time is the server's, measured from when that player's
phone was sent the question.
"""

BASE = 1000
STREAK_STEP = 100
STREAK_MAX = 500


def speed_points(credit: float, elapsed: float, limit: float) -> int:
    """Points for an answer of `credit` given `elapsed` seconds into a `limit`-second countdown."""
    if credit <= 0 or limit <= 0:
        return 0
    share = min(1.0, max(0.0, elapsed / limit))
    return round(BASE * min(credit, 1.0) * (1 - share / 2))


def next_streak(streak: int, credit: float) -> int:
    """The run of fully right answers after this one."""
    return streak + 1 if credit >= 1 else 0


def streak_bonus(streak: int) -> int:
    """The bonus for the answer that made the run `streak` long."""
    return min(STREAK_MAX, STREAK_STEP * max(0, streak - 1))


def answer_points(*, credit: float, elapsed: float, limit: float, streak: int) -> tuple[int, int]:
    """(points, new streak) for one answer by a player whose run was `streak`."""
    run = next_streak(streak, credit)
    return speed_points(credit, elapsed, limit) + (streak_bonus(run) if run else 0), run
