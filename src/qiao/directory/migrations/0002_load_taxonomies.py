from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from qiao.directory.taxonomies import load_all

    load_all(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
