"""The project page's table of failed examples: filtered, searched, sorted and paginated in a
fixed number of queries, however many examples the project holds."""

from __future__ import annotations

import django_filters
from django.db.models import Case, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Cast

from decisions.evidence.models import FailedExample, Severity
from decisions.projects.vocabulary import failure_type_choices, technique_choices

EXAMPLES_PER_PAGE = 25

SEVERITY_RANK = Case(
    When(severity=Severity.HIGH, then=Value(0)),
    When(severity=Severity.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
SORTS = {
    "newest": (("-created_at", "-pk"), "Newest first"),
    "oldest": (("created_at", "pk"), "Oldest first"),
    "title": (("title", "pk"), "Title, A to Z"),
    "severity": ((SEVERITY_RANK, "-created_at", "-pk"), "Severity, high first"),
    "type": (("failure_type", "-created_at", "-pk"), "Failure type"),
}
DEFAULT_SORT = "newest"


class ExampleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    failure_type = django_filters.ChoiceFilter(empty_label="Any failure type", label="Failure type")
    technique = django_filters.ChoiceFilter(
        method="with_technique",
        empty_label="Any technique",
        label="Technique tried",
    )
    severity = django_filters.ChoiceFilter(
        choices=Severity.choices, empty_label="Any severity", label="Severity"
    )
    expected = django_filters.ChoiceFilter(
        choices=[("yes", "With expected output"), ("no", "Without expected output")],
        method="with_expected",
        empty_label="With or without",
        label="Expected output",
    )

    test_set = django_filters.ChoiceFilter(
        choices=[("yes", "Held out (test set)"), ("no", "For training")],
        method="in_test_set",
        empty_label="Test set or training",
        label="Test set",
    )

    class Meta:
        model = FailedExample
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The current flowchart's vocabulary, read when the table is drawn.
        self.filters["failure_type"].extra["choices"] = failure_type_choices()
        self.filters["technique"].extra["choices"] = technique_choices()

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(input_text__icontains=word)
                | Q(bad_output__icontains=word)
                | Q(expected_output__icontains=word)
                | Q(notes__icontains=word)
            )
        return queryset

    def with_technique(self, queryset, name, value):
        # The list is JSON text on SQLite and jsonb on PostgreSQL; as text, both hold the id in
        # quotes, and `contains` on a JSON list is not available on SQLite.
        as_text = Cast("techniques_tried", TextField())
        return queryset.alias(techniques_text=as_text).filter(
            techniques_text__contains=f'"{value}"'
        )

    def in_test_set(self, queryset, name, value):
        return queryset.filter(in_test_set=value == "yes")

    def with_expected(self, queryset, name, value):
        without = Q(expected_output="")
        return queryset.exclude(without) if value == "yes" else queryset.filter(without)


def sorted_examples(queryset, sort: str):
    order, _ = SORTS.get(sort, SORTS[DEFAULT_SORT])
    return queryset.order_by(*order)
