from django.db import migrations

from assessments import triggers
from core.db import create_triggers


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [create_triggers(*triggers.ALL)]
