"""Importing questionnaire responses from a spreadsheet (CSV or XLSX).

The columns are those of DESIGN.md: ``Respondent ID``, ``Submitted``, ``Name``,
``Organisation``, ``Country``, ``Stakeholder group``, ``Consent to cite``, then one column per
question code (``Q2a`` ... ``Q17``). One row is one respondent with all their answers, and that
is the unit that is created, updated or left alone:

- a row with a Respondent ID updates that respondent (an unknown ID is an error);
- a row without one is matched on its natural key (name, organisation, submitted), which the
  database keeps unique, and updated, or else created;
- the file is authoritative for the columns it has: in a question column, a filled cell sets the
  respondent's answer and an **empty cell removes it** (the preview lists every removal); a
  question whose column is absent is left alone, as are the language and demo flags, which the
  file does not carry;
- an empty consent cell means No: without a clear Yes nobody is cited;
- a respondent whose values and answers are those of the file is not saved at all, so that
  importing the same file twice changes nothing and adds nothing to the change history.

Every error is collected, each naming the row and the column, and nothing is written when there
is any. The admin import (``issues/resources.py``), ``manage.py import_responses`` and the
background task all call ``issues.services.responses.responses_import``.

- ``spellings``: stakeholder groups and countries as people write them;
- ``plan``: the columns, reading a file, and the plan of what importing it would do;
- ``table``: the same columns written, for the secretariat's round trip.
"""
