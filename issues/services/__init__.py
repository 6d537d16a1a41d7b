"""Writes of the issues room: ``issue_list`` (merges, the working group's agreement),
``responses`` (importing questionnaire responses) and ``comments``."""
