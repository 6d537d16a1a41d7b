"""Pages of the issues room: an issue's page (``issue_page``), comments (``comments``) and the
published responses (``responses``)."""
