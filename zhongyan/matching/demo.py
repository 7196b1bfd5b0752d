"""After the demo people, demands and catalogue exist: encode them so recommendations show at once."""

from typing import Any, TextIO

from zhongyan.matching.services import rebuild_index


def load(stdout: TextIO | Any, **_: Any) -> dict[str, int]:
    counts = rebuild_index()
    stdout.write("Matching: " + ", ".join(f"{kind} {count} encoded" for kind, count in counts.items()) + ".\n")
    return counts
