from django.db import migrations

from action_plans import triggers
from core.db import create_triggers


class Migration(migrations.Migration):
    dependencies = [("action_plans", "0001_initial")]

    operations = [create_triggers(*triggers.ALL)]
