"""Matchmaking (Django side). The engine itself is the framework-free library in ``engine/``.

- ``documents.py``: records → engine documents (a researcher = owner ``person:<id>`` with a profile document and
  one per publication not hidden from matching; achievements, capabilities, needs, majors), with the attrs the
  engine filters on (``type``, ``vis`` audience tokens, ``org``, ``region``, ``org_kind``, ``kind``, ``open``).
- ``index.py``: the index on disk (atomic generations, manifest with the database state), the process-wide
  cached index and staleness detection (stale, missing or unreadable → rebuilt before use, and logged).
- ``sync.py``: ``index_changed(kind, pk)``, called by the catalog's services and ``signals.py``: the changes of one
  transaction become one ``tasks.index_sync_records`` job on commit (nothing on rollback).
- ``services.py``: ``index_rebuild``, ``index_sync_records`` (one read and one write of the index per batch;
  ``index_sync_record`` is the batch of one), conflicts of interest.
- ``selectors.py``: ``match_need``, ``needs_for_researcher``, ``broker_market``, ``search`` — every engine call
  filtered by the user's audience tokens, every need re-checked with ``restrict``.
- ``views.py`` / ``api.py``: /matching/… pages and /api/matching/… endpoints; ``commands.py``: ``qiao index``.
"""
