from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0005_trial_groups_cost_latency"),
    ]

    operations = [
        migrations.AddField(
            model_name="failedexample",
            name="input_messages",
            field=models.JSONField(blank=True, default=list, verbose_name="input as messages"),
        ),
    ]
