"""The working group's pages: joining the correspondence group (``membership``), contributions
(``contributions``), and meetings with their lists of participants (``meetings``)."""
