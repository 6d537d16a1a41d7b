"""Loading the demo data, and the home page over it."""

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.common import Figure, peak_memory, timed
from project.demo import demo_load


def run() -> list[Figure]:
    # Memory of a load into the empty database, measured then rolled back; then the timed load.
    with transaction.atomic():
        memory, _ = peak_memory(demo_load)
        transaction.set_rollback(True)
    first, result = timed(demo_load)
    rows = sum(result.created.values())
    again, _ = timed(demo_load, repeat=3)
    client = Client()
    page, _ = timed(lambda: client.get("/"), repeat=20)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    return [
        Figure("first load into an empty database", first, "s", 10, f"{rows} rows"),
        Figure("second load (the exercise is there: nothing changes)", again, "s", 5),
        Figure("peak memory of a load", memory, "MiB", 100),
        Figure("home page", page * 1000, "ms", 200, f"{len(queries)} queries"),
    ]
