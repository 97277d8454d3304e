from django.db import migrations, models

import core.uploads

# The upload policy's fields (core.uploads) store files under random names; the column is the
# same, so only the migration state changes for them (no table rebuilt). The names their
# authors gave the files are kept apart, to be shown.


class Migration(migrations.Migration):
    dependencies = [
        ("action_plans", "0004_plancomment_suggestion_applied"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalprogressupdate",
            name="evidence_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="name of the evidence"),
        ),
        migrations.AddField(
            model_name="plantransition",
            name="document_name",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="name of the decision document"
            ),
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="evidence_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="name of the evidence"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="plantransition",
                    name="document",
                    field=core.uploads.PolicyFileField(
                        blank=True,
                        max_length=300,
                        policy="decisions",
                        verbose_name="decision document",
                    ),
                ),
                migrations.AlterField(
                    model_name="progressupdate",
                    name="evidence",
                    field=core.uploads.PolicyFileField(
                        blank=True, max_length=300, policy="evidence", verbose_name="evidence"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
