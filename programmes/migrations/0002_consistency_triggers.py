from django.db import migrations

from core.db import create_triggers
from programmes import triggers


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [create_triggers(*triggers.INITIAL)]
