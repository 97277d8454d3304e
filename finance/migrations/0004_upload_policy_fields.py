from django.db import migrations

import core.uploads

# The upload policy's fields (core.uploads) store files under random names; the column is the
# same, so only the migration state changes: no table is rebuilt (SQLite would drop its
# triggers, finance.triggers).


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0003_statement_files"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="receipt",
                    name="file",
                    field=core.uploads.PolicyFileField(
                        max_length=300, policy="receipts", verbose_name="file"
                    ),
                ),
                migrations.AlterField(
                    model_name="statementfiles",
                    name="pdf",
                    field=core.uploads.GeneratedFileField(
                        blank=True, folder="statements", max_length=300, verbose_name="PDF"
                    ),
                ),
                migrations.AlterField(
                    model_name="statementfiles",
                    name="xlsx",
                    field=core.uploads.GeneratedFileField(
                        blank=True, folder="statements", max_length=300, verbose_name="XLSX"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
