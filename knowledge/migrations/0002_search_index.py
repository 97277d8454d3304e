from django.db import migrations

# The full-text index was created here until 0004 changed its shape (a stems column, the
# configuration of each practice's language): a new database now gets it from 0004, which
# drops and rebuilds it, because this migration would run today's index.py against the
# table as it was at 0002 (without search_stems).


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = []
