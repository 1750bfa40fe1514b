"""python manage.py benchmark_faces: the timeline, the network and an API list page at size."""

from wiki.benchmarks.faces import Sizes, benchmarks_run
from wiki.benchmarks.report import SizedBenchmarkCommand

SIZE_HELP = {
    "events": "published events, each dated by a claim",
    "entries": "published actors and factions, half each",
    "relations": "memberships, faction relations and participations, a third each",
    "runs": "timed requests of each page (each a cache miss)",
}


class Command(SizedBenchmarkCommand):
    help = (
        "Time /timeline/, /graph/ and /api/events/ for a visitor, each a cache miss, over an "
        "archive of 5,000 events, 2,000 actors and factions and 10,000 relations (rolled back)."
    )

    sizes = Sizes
    size_help = SIZE_HELP
    run = staticmethod(benchmarks_run)
