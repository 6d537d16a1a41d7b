"""The forms in which the exercise reaches people, shared by every room.

- ``docx``: DOCX documents as a UN secretariat issues them (``DocxWriter``, ``docx_document``);
- ``pdf``: PDF documents drawn from HTML templates;
- ``spreadsheets``: CSV and XLSX as people exchange them, read and written, formulas escaped;
- ``markdown``: the text people type, shown as sanitised HTML;
- ``history``: the change history as people read it (who changed what, when);
- ``mail``: e-mails built from templates, sent once the transaction commits;
- ``http``: download responses with a safe file name.
"""
