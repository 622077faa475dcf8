"""The addresses of the pages the bench reads, for locust's users and wrk alike."""

CEILING = "/bench/ceiling/"
QUESTION = "/attempts/{attempt}/questions/{position}/"
CARD = "/cards/{card}/?show=1"
HOME = "/"
GRADEBOOK = "/teach/classes/{classroom}/gradebook/"
OVERVIEW = "/teach/classes/{classroom}/overview/"
STATISTICS = "/teach/quizzes/load-quiz-02/statistics/?attempts=all"


def get_pages(data: dict) -> list[tuple[str, str, str]]:
    """(name, path, session) of every GET page measured at saturation, for the
    first student with cards and open answers and the first teacher."""
    student = next(s for s in data["students"] if s.get("cards") and s.get("answers"))
    teacher = data["teachers"][0]
    attempt, position, _ = student["answers"][0]
    card, _ = student["cards"][0]
    mine, theirs = student["session"], teacher["session"]
    classroom = teacher["classroom"]
    return [
        ("question page", QUESTION.format(attempt=attempt, position=position), mine),
        ("flashcard review page", CARD.format(card=card), mine),
        ("student home page", HOME, mine),
        ("classroom gradebook", GRADEBOOK.format(classroom=classroom), theirs),
        ("class overview", OVERVIEW.format(classroom=classroom), theirs),
        ("question statistics", STATISTICS, theirs),
    ]
