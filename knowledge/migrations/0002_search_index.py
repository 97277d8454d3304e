from django.db import migrations

from knowledge.search.index import create_index, drop_index


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
