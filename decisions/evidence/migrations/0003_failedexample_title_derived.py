from django.db import migrations, models

TITLE_FROM_INPUT = 80


def title_from(text: str) -> str:
    # A copy of imports.parse.title_from as it stood: a migration must not change with the code.
    first_line = text.strip().splitlines()[0].strip()
    if len(first_line) <= TITLE_FROM_INPUT:
        return first_line
    return first_line[: TITLE_FROM_INPUT - 1].rstrip() + "…"


def mark_titles_taken_from_the_input(apps, schema_editor):
    """Examples imported before titles were marked: a title that is the input's first line was
    taken from it (or typed as it, which shows the same text)."""
    FailedExample = apps.get_model("evidence", "FailedExample")
    derived = [
        pk
        for pk, title, input_text in FailedExample.objects.values_list(
            "pk", "title", "input_text"
        ).iterator(chunk_size=1000)
        if input_text.strip() and title == title_from(input_text)
    ]
    for start in range(0, len(derived), 500):
        FailedExample.objects.filter(pk__in=derived[start : start + 500]).update(
            title_derived=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_import_lease_and_skip_existing"),
    ]

    operations = [
        migrations.AddField(
            model_name="failedexample",
            name="title_derived",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_titles_taken_from_the_input, migrations.RunPython.noop),
    ]
