"""2027.02's failure types, `labels` and `refuses`, in the example form, the table's filter and
imports: the field's choices follow the current vocabulary (a callable), so no migration."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.choices import CallableChoiceIterator

from decisions.evidence.models import ExampleImport, FailedExample
from tests.conftest import example_post_data, make_example
from tests.evidence.test_import import imported, run_import


def test_the_field_choices_are_the_current_vocabulary_without_a_migration():
    field = FailedExample._meta.get_field("failure_type")
    # A migration would freeze a list; a callable follows the vocabulary of the current version.
    assert isinstance(field._choices, CallableChoiceIterator)
    ids = [value for value, _ in field.choices]
    assert ids[-2:] == ["labels", "refuses"]


def test_an_example_can_be_tagged_labels_in_the_form(client, alice, project):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/examples/add/", example_post_data(failure_type="labels")
    )
    assert response.status_code == 302
    assert FailedExample.objects.get(project=project).failure_type == "labels"


def test_the_form_offers_both_new_types(client, alice, project):
    client.force_login(alice)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "It assigns labels or categories and gets some classes wrong" in page
    assert "Refuses or hedges on requests it should answer" in page


def test_the_table_filters_on_refuses(client, alice, project):
    make_example(project, title="Refused a refund question", failure_type="refuses")
    make_example(project, title="Wrong class", failure_type="labels")
    client.force_login(alice)
    page = client.get(f"/projects/{project.pk}/?failure_type=refuses").content.decode()
    assert "Refused a refund question" in page
    assert "Wrong class" not in page


def test_an_import_reads_refuses_from_a_column(client, alice, project):
    client.force_login(alice)
    content = b"prompt,response,category\nCan I cancel?,I cannot help with that.,refuses\n"
    client.post(
        f"/projects/{project.pk}/import/",
        {"file": SimpleUploadedFile("refusals.csv", content)},
    )
    run_import(client, project, ExampleImport.objects.get())
    assert [row["failure_type"] for row in imported(project)] == ["refuses"]
