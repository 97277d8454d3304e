from django.db import migrations

from core.db import create_triggers
from reports import triggers


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [create_triggers(*triggers.ALL)]
