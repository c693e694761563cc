"""Importers for spreadsheets and works files; the job flow around them is in ``qiao.catalog.imports``."""
