"""Pages of the mechanisms room: the issue map (``issue_map``: the issue list and its downloads,
the matrix, the gaps), the mechanisms (``mechanisms``), and the open data (``open_data``)."""
