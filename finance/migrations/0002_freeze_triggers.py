from django.db import migrations

from core.db import create_triggers
from finance import triggers


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [create_triggers(*triggers.ALL)]
