"""The working group, the lowest room: stakeholder groups, participants, meetings, roles,
requests to join and contributions, and what every room shares (``documents``: DOCX, PDF,
spreadsheets, Markdown, the change history, e-mail, downloads). It imports no other room; the
settings module (``wgec.settings``) is read by no room but through ``django.conf.settings``."""
