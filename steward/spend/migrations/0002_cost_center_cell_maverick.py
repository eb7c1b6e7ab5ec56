import uuid

from django.db import migrations, models
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils import timezone

CHUNK = 10_000


def split_maverick_cells(apps, schema_editor):
    """Rebuild the cost-center cells from the lines, with maverick spend apart."""
    cell = apps.get_model("spend", "SpendCostCenterCell")
    line = apps.get_model("spend", "SpendLine")
    state = apps.get_model("spend", "LedgerState")
    if not cell.objects.exists():
        return
    cell.objects.all().delete()
    grouped = (
        line.objects.annotate(
            no_contract=ExpressionWrapper(Q(contract__isnull=True), output_field=BooleanField())
        )
        .values("batch_id", "month", "cost_center_id", "category_id", "no_contract")
        .annotate(count=Count("id"), amount=Sum("amount_base_cents"))
        .order_by()
    )
    rows = []
    for group in grouped.iterator(chunk_size=CHUNK):
        rows.append(
            cell(
                batch_id=group["batch_id"],
                month=group["month"],
                cost_center_id=group["cost_center_id"],
                category_id=group["category_id"],
                maverick=group["no_contract"],
                lines=group["count"],
                amount_base_cents=group["amount"],
            )
        )
        if len(rows) == CHUNK:
            cell.objects.bulk_create(rows)
            rows = []
    cell.objects.bulk_create(rows)
    # columnar copies of the aggregates must reload
    state.objects.filter(pk=1).update(token=uuid.uuid4().hex, changed_at=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ('spend', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='spendcostcentercell',
            name='maverick',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(split_maverick_cells, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='spendimport',
            name='progress',
            field=models.PositiveSmallIntegerField(default=0, help_text='Percent done, 0 to 100.'),
        ),
        migrations.AlterField(
            model_name='spendline',
            name='price_variance_cents',
            field=models.BigIntegerField(blank=True, help_text='(unit price paid - contracted unit price) x quantity, in base cents.', null=True),
        ),
    ]
