"""Who addresses each issue and how well: mechanisms, coverage and status, gaps, and everything
that relates issues to mechanisms (the issue map's reads, filter and pages, the matrix, the gaps,
the open data, the map workbook). It imports ``issues`` and ``wgec``; the rooms above keep
coverage rows out of the map import's removals through ``coverage_holds``."""
