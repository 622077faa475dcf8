"""What the bench posts to answer an item of any kind: one module for the runner's
PREPARE script (bench/run.py) and for bench/count_instructions.py."""


def answer_data(item) -> dict:
    """A valid (not necessarily right) answer to `item`, an AttemptItem with its question."""
    kind = item.question.kind
    if kind in ("single", "true_false", "multiple"):
        return {"answer": "0"}
    if kind == "short":
        return {"answer": "a guess"}
    if kind == "ordering":
        return {f"item_{i}": str(i + 1) for i in range(len(item.choice_order))}
    return {f"item_{i}": str(i) for i in range(len(item.choice_order))}
