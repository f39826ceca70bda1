import decisions.projects.vocabulary
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MOVED = ["failedexample", "exampleimport", "prompttrial"]


def move_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MOVED:
        # Where the new label exists already (a database set up after the move), it stays.
        if not content_types.filter(app_label="evidence", model=model).exists():
            content_types.filter(app_label="projects", model=model).update(app_label="evidence")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('projects', '0005_evidence_moves_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The models that left `projects` (its 0005), taken over in place: state only, since
    # db_table keeps the tables they have always had.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ExampleImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('filename', models.CharField(max_length=255)),
                        ('file_format', models.CharField(max_length=10)),
                        ('content', models.TextField(blank=True)),
                        ('shape', models.CharField(max_length=20)),
                        ('row_count', models.PositiveIntegerField()),
                        ('mapping', models.JSONField(default=dict)),
                        ('type_mapping', models.JSONField(default=dict)),
                        ('default_failure_type', models.CharField(blank=True, max_length=20)),
                        ('status', models.CharField(choices=[('preview', 'Waiting for the mapping'), ('queued', 'Queued'), ('running', 'Importing'), ('done', 'Imported'), ('failed', 'Refused')], default='preview', max_length=10)),
                        ('rows_checked', models.PositiveIntegerField(default=0)),
                        ('imported_count', models.PositiveIntegerField(default=0)),
                        ('problems', models.JSONField(default=list)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imports', to='projects.project')),
                    ],
                    options={
                        'db_table': 'projects_exampleimport',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='FailedExample',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('input_text', models.TextField(help_text='The prompt and context the model was given.', max_length=20000, verbose_name='input')),
                        ('bad_output', models.TextField(blank=True, max_length=20000, verbose_name='bad output')),
                        ('expected_output', models.TextField(blank=True, help_text='Optional. What a good answer would have been.', max_length=20000, verbose_name='expected output')),
                        ('failure_type', models.CharField(choices=decisions.projects.vocabulary.failure_type_choices, max_length=20)),
                        ('techniques_tried', models.JSONField(blank=True, default=list, verbose_name='techniques already tried')),
                        ('iterations', models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(1000)], verbose_name='prompt iterations spent')),
                        ('severity', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High')], default='medium', max_length=10)),
                        ('notes', models.TextField(blank=True, max_length=5000)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='examples', to='projects.project')),
                    ],
                    options={
                        'db_table': 'projects_failedexample',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PromptTrial',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(help_text='For example: v3, few-shot + schema.', max_length=200, verbose_name='prompt revision')),
                        ('model_name', models.CharField(help_text='For example: gpt-4o.', max_length=200, verbose_name='model')),
                        ('model_version', models.CharField(blank=True, help_text='For example: 2024-08-06.', max_length=100, verbose_name='model version')),
                        ('on_current_model', models.BooleanField(default=True, help_text='Untick for a trial of another, stronger or smaller model.', verbose_name='on the model the feature uses today')),
                        ('run_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='date run')),
                        ('techniques', models.JSONField(blank=True, default=list, verbose_name='techniques used')),
                        ('cases', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100000)], verbose_name='test cases')),
                        ('passed', models.PositiveIntegerField(verbose_name='cases passed')),
                        ('note', models.TextField(blank=True, max_length=5000)),
                        ('results', models.JSONField(blank=True, default=dict)),
                        ('source', models.CharField(choices=[('manual', 'Typed in'), ('promptfoo', 'promptfoo output'), ('csv', 'CSV of case results')], default='manual', max_length=20)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='trials', to='projects.project')),
                    ],
                    options={
                        'db_table': 'projects_prompttrial',
                        'ordering': ['run_on', 'created_at', 'pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('passed__lte', models.F('cases'))), name='passed_at_most_cases')],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Permissions and admin history follow the models to their new app label.
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
