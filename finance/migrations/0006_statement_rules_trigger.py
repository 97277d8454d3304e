from django.db import migrations

from core.db import create_triggers, replace_triggers
from finance import triggers


class Migration(migrations.Migration):
    dependencies = [("finance", "0005_finance_controls")]

    # SQLite rebuilt some tables in 0005 (a removed constraint, new columns with defaults),
    # which drops their triggers: create them all again.
    operations = [replace_triggers(*triggers.ALL), create_triggers(triggers.STATEMENT_RULES)]
