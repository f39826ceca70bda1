"""The references our pages are measured against, served only by the benchmark's URLconf.

- a trivial view: one template with one variable, no query: the floor of any Django page;
- a django-formtools SessionWizardView of the same shape as our wizard (one radio question
  and a note per step, the answered steps listed beside it): the Django peer for wizards.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path
from formtools.wizard.views import SessionWizardView

OPTIONS = [
    ("tone", "The tone or style is wrong"),
    ("format", "The format or structure is wrong"),
    ("facts", "Facts are wrong or made up"),
    ("knowledge", "It lacks domain knowledge"),
    ("behaviour", "It does not follow the task"),
]


class QuestionForm(forms.Form):
    option = forms.ChoiceField(choices=OPTIONS, widget=forms.RadioSelect)
    note = forms.CharField(required=False, max_length=2_000, widget=forms.Textarea)


class FormtoolsWizard(SessionWizardView):
    form_list = [(f"q{index}", QuestionForm) for index in range(6)]
    template_name = "bench/formtools_step.html"

    def done(self, form_list, **kwargs) -> HttpResponse:
        return HttpResponse("done")


def trivial(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/trivial.html", {"name": "benchmark"})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/formtools/", FormtoolsWizard.as_view()),
    path("", include("decisions.urls")),
]
