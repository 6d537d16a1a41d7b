"""The deliverables: the schedule, update reports, the mailing list and the final document. It
reads every room below it."""
