"""What `manage.py bench` measures, each case beside the reference it is compared with."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client

from decisions.evidence.models import PromptTrial
from decisions.reports.context import report_context
from decisions.reports.pdf import render_pdf
from decisions.reports.tasks import pdf_request, render_report_pdf
from decisions.wizard.models import WizardRun
from devtools.benchmark.data import BenchData
from devtools.benchmark.measure import Table, Target, Timing, measure, peak_memory_mib

# A page takes milliseconds and gets --repeat runs; a PDF takes seconds.
PDF_RUNS = 5
HTMX = {"HX-Request": "true"}


def expect(status: int, response, what: str) -> None:
    if response.status_code != status:
        raise AssertionError(f"{what}: expected {status}, got {response.status_code}")


def get(client: Client, url: str) -> Callable[[], None]:
    def request() -> None:
        expect(200, client.get(url), url)

    return request


def report_url(decision) -> str:
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/"


class Cases:
    def __init__(self, data: BenchData, repeat: int) -> None:
        self.data, self.repeat = data, repeat
        self.client = Client()
        self.client.force_login(data.lead)
        self.table = Table()

    def run_all(self, *, scale_only: bool = False) -> Table:
        if scale_only:
            self.add("trivial view", get(self.client, "/bench/trivial/"))
        else:
            self.pages()
            self.pdfs()
        self.scale()
        return self.table

    def add(self, name: str, action, reference: str = "", runs: int | None = None) -> Timing:
        return self.table.add(measure(name, action, runs or self.repeat, reference=reference))

    # Pages -------------------------------------------------------------------------------
    def pages(self) -> None:
        data, client = self.data, self.client
        self.add("trivial view", get(client, "/bench/trivial/"))
        self.add("formtools wizard step", self.formtools_step())
        self.add("wizard step (htmx POST)", self.wizard_step(), reference="trivial view")
        review = f"/wizard/runs/{data.review_run.pk}/review/"
        self.add("wizard review step", get(client, review), reference="trivial view")
        for label, decision in (
            ("1 example", data.small_decision),
            ("200 examples", data.large_decision),
        ):
            self.add(f"report, {label}", get(client, report_url(decision)), "trivial view")
        self.add("dashboard", get(client, "/decisions/"), reference="trivial view")
        for label, project in (("1 example", data.small), ("200 examples", data.large)):
            url = f"/projects/{project.pk}/"
            self.add(f"project page, {label}", get(client, url), "trivial view")
        self.trials_pages()

    def trials_pages(self) -> None:
        """The trials page reads every case of every trial (groups, comparisons): its queries
        must not grow with the cases, and its time only with the arithmetic."""
        data, client = self.data, self.client
        for label, project, trials, cases in (
            ("2 trials × 50 cases", data.large, 2, 50),
            ("2 trials × 5,000 cases", data.small, 2, 5_000),
            ("10 trials × 1,000 cases", data.medium, 10, 1_000),
        ):
            add_trials(project, trials, cases)
            url = f"/projects/{project.pk}/trials/"
            self.add(f"trials page, {label}", get(client, url), "trivial view")
        small_trials = list(data.small.trials.order_by("pk"))
        compare = (
            f"/projects/{data.small.pk}/trials/compare/"
            f"?a={small_trials[0].pk}&b={small_trials[1].pk}"
        )
        self.add("trial comparison, 5,000 cases", get(client, compare), "trivial view")

    def wizard_step(self) -> Callable[[], None]:
        """Answers the first question again and again, as a PM changing their mind does: each
        POST is checked against the run's version, saved, and answered with the next panel."""
        run = WizardRun.objects.create(project=self.data.large, created_by=self.data.lead)
        url = f"/wizard/runs/{run.pk}/q/symptom/"
        state = {"version": run.version}

        def post() -> None:
            body = {"option": "tone", "note": "Reads like a form letter", **state}
            expect(200, self.client.post(url, body, headers=HTMX), url)
            state["version"] += 1

        return post

    def formtools_step(self) -> Callable[[], None]:
        client = Client()
        client.force_login(self.data.lead)
        expect(200, client.get("/bench/formtools/"), "formtools wizard")
        body = {
            "formtools_wizard-current_step": "q0",
            "q0-option": "tone",
            "q0-note": "Reads like a form letter",
        }

        def post() -> None:
            expect(200, client.post("/bench/formtools/", body), "formtools wizard step")

        return post

    # PDFs --------------------------------------------------------------------------------
    def pdfs(self) -> None:
        # First, in a fork of a process that has rendered nothing yet: a later fork would
        # reuse memory the earlier renders freed and understate the peak.
        self.memory = {
            label: peak_memory_mib(lambda html=html: render_pdf_html(html))
            for label, html in (
                ("20", pdf_html(self.data.medium_decision)),
                ("200", pdf_html(self.data.large_decision)),
            )
        }
        runs = PDF_RUNS
        for label, decision in (
            ("20", self.data.medium_decision),
            ("200", self.data.large_decision),
        ):
            html = render_to_string("reports/pdf.html", report_context(decision, for_pdf=True))
            raw = f"raw WeasyPrint, {label} examples"
            self.add(raw, lambda html=html: raw_weasyprint(html), runs=runs)
            self.add(
                f"PDF, {label} examples, cold",
                lambda decision=decision: render_pdf(report_context(decision, for_pdf=True)),
                runs=runs,
                reference=raw,
            )
            pdf = pdf_request(decision=decision)
            render_report_pdf.call(pdf.pk)
            self.add(
                f"PDF, {label} examples, cached",
                get(self.client, f"{report_url(decision)}report.pdf"),
                reference="trivial view",
            )

    # 100,000 rows ------------------------------------------------------------------------
    def scale(self) -> None:
        from devtools.benchmark.scale import ScaleCases

        cases = ScaleCases(self.data, self.client, self.table)
        cases.run()
        self.scale_figures = cases.figures


def add_trials(project, trials: int, cases: int) -> list[PromptTrial]:
    """`trials` revisions on one test set of `cases` cases in four groups, each passing a
    few more cases than the one before."""
    made = []
    for revision in range(trials):
        results = {f"case-{n:05d}": (n * 7 + revision * 3) % 10 < 6 + revision % 4
                   for n in range(cases)}  # fmt: skip
        groups = {case: ("en", "de", "fr", "es")[n % 4] for n, case in enumerate(results)}
        made.append(
            PromptTrial.objects.create(
                project=project,
                label=f"v{revision + 1}",
                model_name="gpt-4o" if revision % 3 else "gpt-4o-mini",
                cases=cases,
                passed=sum(results.values()),
                results=results,
                case_groups=groups,
                cost_per_1k_requests=Decimal("2.50") if revision % 3 else Decimal("0.30"),
                p95_latency_ms=2000 + revision,
            )
        )
    return made


def pdf_html(decision) -> str:
    return render_to_string("reports/pdf.html", report_context(decision, for_pdf=True))


def render_pdf_html(html: str) -> bytes:
    from decisions.reports.weasy import write_pdf

    return write_pdf(html)


def raw_weasyprint(html: str) -> bytes:
    """The floor: WeasyPrint alone on the same HTML, its default fetcher reading the same
    stylesheet from disk (our renderer serves it through a fetcher that refuses all else)."""
    from weasyprint import HTML

    static_dir = Path(settings.BASE_DIR, "static").as_uri() + "/"
    return HTML(string=html.replace(f'"{settings.STATIC_URL}', f'"{static_dir}')).write_pdf()


def targets(table: Table, memory: dict[str, float]) -> list[Target]:
    def p95(name: str) -> float:
        return table.get(name).p95_ms

    def ms(value: float) -> str:
        return f"{value:.1f} ms"

    trivial, formtools, step = (
        p95("trivial view"),
        p95("formtools wizard step"),
        p95("wizard step (htmx POST)"),
    )
    found = [
        Target(
            "wizard step p95 ≤ 2× trivial view",
            f"{ms(step)} = {step / trivial:.1f}× {ms(trivial)}",
            step <= 2 * trivial,
        ),
        Target(
            "wizard step p95 < formtools step p95",
            f"{ms(step)} vs {ms(formtools)}",
            step < formtools,
        ),
        Target(
            "report, 200 examples: p95 ≤ 150 ms",
            ms(p95("report, 200 examples")),
            p95("report, 200 examples") <= 150,
        ),
        Target("dashboard p95 ≤ 100 ms", ms(p95("dashboard")), p95("dashboard") <= 100),
    ]
    for label in ("20", "200"):
        cold, raw = p95(f"PDF, {label} examples, cold"), p95(f"raw WeasyPrint, {label} examples")
        found.append(
            Target(
                f"PDF of {label} examples ≤ 1.2× raw WeasyPrint",
                f"{ms(cold)} = {cold / raw:.2f}× {ms(raw)}",
                cold <= 1.2 * raw,
            )
        )
    cold20 = p95("PDF, 20 examples, cold")
    found.append(Target("PDF of 20 examples ≤ 1 s", ms(cold20), cold20 <= 1000))
    for label in ("20", "200"):
        cached = p95(f"PDF, {label} examples, cached")
        found.append(
            Target(f"PDF of {label} examples from the cache ≤ 20 ms", ms(cached), cached <= 20)
        )
    for page in ("report", "project page"):
        one = table.get(f"{page}, 1 example").queries_per_run
        many = table.get(f"{page}, 200 examples").queries_per_run
        found.append(
            Target(f"{page}: same queries for 1 and 200 examples", f"{one} and {many}", one == many)
        )
    few = table.get("trials page, 2 trials × 50 cases").queries_per_run
    many = table.get("trials page, 2 trials × 5,000 cases").queries_per_run
    found.append(
        Target("trials page: same queries for 50 and 5,000 cases", f"{few} and {many}", few == many)
    )
    trials_p95 = p95("trials page, 10 trials × 1,000 cases")
    found.append(
        Target("trials page, 10 × 1,000 cases: p95 ≤ 150 ms", ms(trials_p95), trials_p95 <= 150)
    )
    found.append(
        Target(
            "peak memory of a PDF render (no target)",
            f"+{memory['20']:.0f} MiB for 20 examples, +{memory['200']:.0f} MiB for 200",
            True,
        )
    )
    return found
