from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0004_prompt_trials'),
    ]

    # FailedExample, ExampleImport and PromptTrial now belong to the evidence app. Only
    # Django's idea of the models moves: their tables stay where they are, under the same
    # names (evidence.0001 takes them over with db_table), so no row is copied or lost.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='exampleimport',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='exampleimport',
                    name='project',
                ),
                migrations.RemoveField(
                    model_name='failedexample',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='failedexample',
                    name='project',
                ),
                migrations.RemoveConstraint(
                    model_name='prompttrial',
                    name='passed_at_most_cases',
                ),
                migrations.DeleteModel(
                    name='ExampleImport',
                ),
                migrations.DeleteModel(
                    name='FailedExample',
                ),
                migrations.DeleteModel(
                    name='PromptTrial',
                ),
            ],
            database_operations=[],
        ),
    ]
