"""Reading spend files (CSV, XLSX) into ledger lines with DuckDB: streaming, set-based, checked.

``pipeline.prepare`` turns a file into the relation ``steward.spend.ledger.store_lines`` stores,
or into the problems that refuse it; ``steward.spend.services.imports`` runs it for an import.
"""

from steward.spend.ingest.engine import session
from steward.spend.ingest.pipeline import Prepared, kind_of, prepare

__all__ = ["Prepared", "kind_of", "prepare", "session"]
