"""Formats of dates and numbers per language, where the UN's usage differs from Django's."""
