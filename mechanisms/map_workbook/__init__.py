"""The map workbook of DESIGN.md: sheets Issues, Mechanisms and Coverage, exported and imported.

- ``columns``: the sheets, their columns, and how values are written and read;
- ``export``: each sheet's rows from the database, the XLSX workbook and its CSV files;
- ``reading``: reading an edited workbook's cells, and the plan of an import;
- ``mechanism_sheet``, ``issue_sheet``, ``coverage_sheet``: what each sheet would change;
- ``imports``: planning an import and applying it, and imports through the admin (read and
  applied by background tasks).

``manage.py export_map`` and ``import_map`` and the Issue admin's map pages
(``mechanisms/admin_workbook.py``) call these; the final document's workbook reuses the export.
"""
