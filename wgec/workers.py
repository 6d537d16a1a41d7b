"""Whether a background task still waits for a worker to take it: the pages that follow a long
task (imports, documents in preparation, a report being sent) say so plainly after a few
seconds, with how to start a worker, instead of waiting in silence."""

import datetime

from django.tasks import default_task_backend
from django.tasks.base import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

# A worker polls the queue every second: a task enqueued longer ago than this and not started
# has no worker free to take it.
WORKER_GRACE = datetime.timedelta(seconds=8)

# What the pages then say: templates/_no_worker.html.


def waited_too_long(since: datetime.datetime | None, *, now: datetime.datetime | None = None):
    """Whether a task due to start at ``since`` should have been taken by now."""
    return since is not None and (now or timezone.now()) - since > WORKER_GRACE


def waiting_for_worker(task_id: str) -> bool:
    """Whether the task of this result ID is still queued, unstarted, past its grace.

    False for a task started, finished or unknown, and for a backend that cannot say (the
    immediate backend of the tests runs every task as it is enqueued)."""
    if not task_id or not default_task_backend.supports_get_result:
        return False
    try:
        result = default_task_backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return False
    if result.status != TaskResultStatus.READY:
        return False
    due = result.enqueued_at
    run_after = getattr(result.task, "run_after", None)
    if run_after is not None and (due is None or run_after > due):
        due = run_after
    return waited_too_long(due)
