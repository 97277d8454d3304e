from django.db import migrations

from core.db import create_triggers
from infographics import triggers


class Migration(migrations.Migration):
    dependencies = [("infographics", "0001_initial")]

    operations = [create_triggers(*triggers.ALL)]
