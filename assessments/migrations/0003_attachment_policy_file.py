from django.db import migrations

import core.uploads

# The upload policy's field (core.uploads) stores files under random names; the column is the
# same, so only the migration state changes (no table rebuilt).


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_consistency_triggers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attachment",
                    name="file",
                    field=core.uploads.PolicyFileField(
                        max_length=300, policy="attachments", verbose_name="file"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
