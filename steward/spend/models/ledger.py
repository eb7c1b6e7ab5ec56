"""The ledger: spend lines and the aggregates kept in step with them.

Lines are facts written only by an import, never edited; they carry no history of their own
(the import that brought them does). They have no index besides their id, because every index on
a ten-million-line table costs seconds per million lines imported (measured: bench/spend_import.py).
Their identity, (month, line key), which makes an import idempotent, is kept in a table of its
own: written in key order, it costs a fraction of an index on the lines, which would be written
in the lines' order, at random places.

The aggregates are written in the import's transaction. A *segment* is the lines of one import
for one (month, vendor, category, contract); an import stores its lines sorted that way, so a
segment's lines are the contiguous id range ``first_line_id..last_line_id``: drilling from any
total down to its lines reads id ranges instead of an index per dimension. Cost centers cut
across vendors, so they have their own cells.

Foreign keys of lines, segments and cells are resolved by the import in the same transaction and
carry no database constraint or index (each would be checked or written per line); vendors,
categories, cost centers and contracts are archived, never deleted.
"""

from __future__ import annotations

from django.db import models

from steward.core.access import AccessSpec

FINANCE = ("finance",)


def _ref(model: str, *, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        model,
        null=null,
        blank=null,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class SpendLine(models.Model):
    id = models.BigAutoField(primary_key=True)
    batch = _ref("spend.SpendImport")
    month = models.PositiveIntegerField(help_text="yyyymm of the date.")
    line_key = models.BigIntegerField(
        help_text="The line's identity in its source: a hash of the source and the line's "
        "reference (document and line number), or of its content when the file has none."
    )
    date = models.DateField()
    supplier = _ref("suppliers.Supplier")
    category = _ref("suppliers.Category", null=True)
    cost_center = _ref("spend.CostCenter", null=True)
    contract = _ref("contracts.Contract", null=True)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=18, decimal_places=4, help_text="As paid.")
    amount_base_cents = models.BigIntegerField(help_text="In the base currency, in cents.")
    quantity = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    item = models.CharField(max_length=80, blank=True)
    description = models.CharField(max_length=255, blank=True)
    gl_account = models.CharField(max_length=40, blank=True)
    document = models.CharField(max_length=80, blank=True)
    price_variance_cents = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="(unit price paid - contracted unit price) x quantity, in base cents.",
    )

    access_spec = AccessSpec(parent="supplier", functions=FINANCE)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.document} {self.amount} {self.currency}"


class SpendLineKey(models.Model):
    """The identity of a line of the ledger: one row per line, with the line's month and key.

    Its primary key is what refuses a line stored twice; an import reads the keys of its months
    from it to skip the lines the ledger holds already.
    """

    pk = models.CompositePrimaryKey("month", "line_key")
    month = models.PositiveIntegerField()
    line_key = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.month}:{self.line_key}"


class SpendSegment(models.Model):
    """The lines of one import for one (month, vendor, category, contract), summed."""

    batch = models.ForeignKey(
        "spend.SpendImport", on_delete=models.PROTECT, related_name="segments"
    )
    month = models.PositiveIntegerField()
    supplier = _ref("suppliers.Supplier")
    category = _ref("suppliers.Category", null=True)
    contract = _ref("contracts.Contract", null=True)
    first_line_id = models.BigIntegerField()
    last_line_id = models.BigIntegerField()
    lines = models.PositiveIntegerField()
    amount_base_cents = models.BigIntegerField()
    quantity = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    price_variance_cents = models.BigIntegerField(default=0)
    priced_lines = models.PositiveIntegerField(
        default=0, help_text="Lines with a contracted price to compare against."
    )

    access_spec = AccessSpec(parent="supplier", functions=FINANCE)

    class Meta:
        ordering = ["month", "supplier", "pk"]
        indexes = [
            models.Index(fields=["supplier", "month"], name="spend_segment_supplier"),
            models.Index(fields=["category", "month"], name="spend_segment_category"),
            models.Index(fields=["contract", "month"], name="spend_segment_contract"),
            models.Index(fields=["month"], name="spend_segment_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month} vendor {self.supplier_id}: {self.amount_base_cents}"


class SpendCostCenterCell(models.Model):
    """The lines of one import for one (month, cost center, category, maverick), summed.

    A cost center's spend runs across vendors, so only those who see all spend (finance,
    administrators, auditors) see it. ``maverick`` (no contract) is kept apart so that a
    cost center's maverick spend, and its drill-down count, need no line.
    """

    batch = models.ForeignKey(
        "spend.SpendImport", on_delete=models.PROTECT, related_name="cost_center_cells"
    )
    month = models.PositiveIntegerField()
    cost_center = _ref("spend.CostCenter", null=True)
    category = _ref("suppliers.Category", null=True)
    maverick = models.BooleanField(default=False)
    lines = models.PositiveIntegerField()
    amount_base_cents = models.BigIntegerField()

    access_spec = AccessSpec(functions=FINANCE)

    class Meta:
        ordering = ["month", "cost_center", "pk"]
        indexes = [
            models.Index(fields=["cost_center", "month"], name="spend_cc_cell_cost_center"),
            models.Index(fields=["month"], name="spend_cc_cell_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month} cost center {self.cost_center_id}: {self.amount_base_cents}"


class LedgerState(models.Model):
    """One row: a token that changes with every import, so a columnar copy of the aggregates
    knows when it is stale (a random token, not a counter, so a rolled-back import can never
    leave two different ledgers with the same token)."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.token
