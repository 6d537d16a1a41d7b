"""Where issues come from and what they are: the questionnaire and its responses, the issue list
(clusters, issues, merges, sources) and comments on issues. It imports only ``wgec``; the rooms
above take their part in an issue's page, history and merges through ``issue_page``,
``issue_history`` and ``issue_parts``."""
