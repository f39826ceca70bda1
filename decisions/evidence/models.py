"""What a decision rests on: failed examples, the files they are imported from, and measured
prompt trials. The tables keep the names they had when these models lived in `projects`
(migration evidence 0001 moved them without moving any data)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from decisions.projects.models import NOTES_MAX, TITLE_MAX, Project
from decisions.projects.vocabulary import current_vocabulary, failure_type_choices

OUTPUT_MAX = 20_000
MAX_TRIAL_CASES = 100_000


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class FailedExample(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="examples")
    title = models.CharField(max_length=TITLE_MAX)
    # True when an import took the title from the input's first line: it is then the input's
    # text (an e-mail address, a card number), so a copy without the texts leaves it out too.
    title_derived = models.BooleanField(default=False)
    input_text = models.TextField(
        "input", max_length=OUTPUT_MAX, help_text="The prompt and context the model was given."
    )
    # The input as a conversation when it came as one (OpenAI evals and chat JSONL, Langfuse,
    # ShareGPT): [{"role": "system"|"user"|"assistant"|"tool", "content": "..."}], in order.
    # Empty for a plain-text input. When set, input_text holds a readable rendering of it for
    # search and the table; exports write the turns from here.
    input_messages = models.JSONField("input as messages", default=list, blank=True)
    # Blank only for imported dataset items that carry the right answer but no failure yet;
    # the form asks for it.
    bad_output = models.TextField("bad output", max_length=OUTPUT_MAX, blank=True)
    expected_output = models.TextField(
        "expected output",
        max_length=OUTPUT_MAX,
        blank=True,
        help_text="Optional. What a good answer would have been.",
    )
    failure_type = models.CharField(max_length=20, choices=failure_type_choices)
    # A list of technique ids of the flowchart's vocabulary.
    techniques_tried = models.JSONField("techniques already tried", default=list, blank=True)
    iterations = models.PositiveIntegerField(
        "prompt iterations spent", default=0, validators=[MaxValueValidator(1000)]
    )
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    notes = models.TextField(max_length=NOTES_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # Held out: in the project's test set (TestSet), so never in a training file. Changed only
    # through services.test_set_choose.
    in_test_set = models.BooleanField("in the test set", default=False, db_index=True)

    class Meta:
        db_table = "projects_failedexample"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def failure_type_short(self) -> str:
        """The failure type's short name, for tables and badges."""
        return (
            current_vocabulary()
            .labels()["failure_types_short"]
            .get(self.failure_type, self.failure_type)
        )

    def chat_messages(self) -> list[dict[str, str]]:
        """The input as chat turns: the saved conversation, or the text as one user turn."""
        if self.input_messages:
            return [dict(message) for message in self.input_messages]
        return [{"role": "user", "content": self.input_text}]

    def asked(self) -> str:
        """What the example asks, for a table's one-line excerpt: a conversation's last user
        turn (its system turn is usually the same on every row), or the input text."""
        asked = [m.get("content", "") for m in self.input_messages if m.get("role") == "user"]
        return asked[-1] if asked and asked[-1].strip() else self.input_text

    def technique_labels(self) -> list[str]:
        vocabulary = current_vocabulary()
        return [vocabulary.technique_label(t) for t in self.techniques_tried]


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "Waiting for the mapping"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Refused"


class ExampleImport(models.Model):
    """One uploaded file on its way in: kept from the preview until its rows are saved.

    The decoded text is kept so the mapping can be changed in the preview and the background
    task can read it; it is emptied once the rows are imported. At the 50 MB limit a text
    column is still well within both databases (SQLite's default limit on one value is 1 GB,
    PostgreSQL's 1 GB, compressed out of line by TOAST) and, unlike a file under MEDIA_ROOT,
    it reaches a worker on another machine through the database they already share. Every
    read that does not parse the file leaves it out (`defer("content")`).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)
    content = models.TextField(blank=True)
    # The file's column names as read at upload, so a preview of a JSON file need not read
    # every record again to know them. Empty for imports uploaded before they were kept.
    columns = models.JSONField(default=list)
    shape = models.CharField(max_length=20)
    row_count = models.PositiveIntegerField()
    # {field: column} and {raw failure-type value: vocabulary id}, as the PM last chose.
    mapping = models.JSONField(default=dict)
    type_mapping = models.JSONField(default=dict)
    default_failure_type = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # Progress: an import checks every row first, then saves them in one transaction.
    rows_checked = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    # [{"message", "row", "column"}]: why the whole file was refused.
    problems = models.JSONField(default=list)
    # Rows whose input and outputs match an example already in the project are left out.
    skip_existing = models.BooleanField(default=True)
    skipped_count = models.PositiveIntegerField(default=0)
    # Rows the file marks as passing (promptfoo results, Braintrust scores, LangSmith
    # feedback) are left out unless the PM asks for them: a passing case is no failure.
    only_failing = models.BooleanField(default=True)
    left_out_passing = models.PositiveIntegerField(default=0)
    # The worker running the import holds a lease it renews while it checks rows; one that
    # stops (killed, out of memory) lets it run out, and the import is then marked failed
    # instead of staying "running" forever. `attempt` tells one run's writes from the next's.
    attempt = models.PositiveIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    worker_stopped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "projects_exampleimport"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} into {self.project}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent_checked(self) -> int:
        return round(100 * self.rows_checked / self.row_count) if self.row_count else 100

    @property
    def percent_saved(self) -> int:
        return round(100 * self.rows_saved / self.row_count) if self.row_count else 100

    @property
    def saving(self) -> bool:
        """Every row checked: the rows are being saved."""
        return self.status == ImportStatus.RUNNING and self.rows_checked >= self.row_count


class TrialSource(models.TextChoices):
    MANUAL = "manual", "Typed in"
    PROMPTFOO = "promptfoo", "promptfoo output"
    BRAINTRUST = "braintrust", "Braintrust experiment"
    LANGSMITH = "langsmith", "LangSmith experiment"
    CSV = "csv", "CSV of case results"


class PromptTrial(models.Model):
    """One prompt revision measured on a test set: how many cases, how many passed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="trials")
    label = models.CharField(
        "prompt revision", max_length=TITLE_MAX, help_text="For example: v3, few-shot + schema."
    )
    model_name = models.CharField("model", max_length=200, help_text="For example: gpt-4o.")
    model_version = models.CharField(
        "model version", max_length=100, blank=True, help_text="For example: 2024-08-06."
    )
    on_current_model = models.BooleanField(
        "on the model the feature uses today",
        default=True,
        help_text="Untick for a trial of another, stronger or smaller model.",
    )
    run_on = models.DateField("date run", default=timezone.localdate)
    techniques = models.JSONField("techniques used", default=list, blank=True)
    cases = models.PositiveIntegerField(
        "test cases", validators=[MinValueValidator(1), MaxValueValidator(MAX_TRIAL_CASES)]
    )
    passed = models.PositiveIntegerField("cases passed")
    note = models.TextField(max_length=NOTES_MAX, blank=True)
    # {case id: passed?}, kept when imported so two trials can be compared case by case.
    results = models.JSONField(default=dict, blank=True)
    # A file that ran each case several times (promptfoo --repeat): how many runs, and each
    # case's [runs passed, runs]. A case counts as passed in `results` when it passed in more
    # than half of its runs (trials/promptfoo.py says why).
    repeats = models.PositiveSmallIntegerField(default=1)
    repeat_counts = models.JSONField(default=dict, blank=True)
    source = models.CharField(
        max_length=20, choices=TrialSource.choices, default=TrialSource.MANUAL
    )
    # {case id: group} (a class, a language, a tier) for the cases that have one.
    case_groups = models.JSONField(default=dict, blank=True)
    cost_per_1k_requests = models.DecimalField(
        "cost per 1,000 requests ($)",
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Optional: what 1,000 requests cost on this model and prompt, in dollars.",
    )
    p95_latency_ms = models.PositiveIntegerField(
        "p95 latency (ms)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(3_600_000)],
        help_text="Optional: 95 % of requests answered within this many milliseconds.",
    )
    # The project's test set as it was when the trial was recorded (TestSet.version): a trial
    # on an earlier test set no longer compares with one on the current.
    test_set_version = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "projects_prompttrial"
        ordering = ["run_on", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(passed__lte=models.F("cases")), name="passed_at_most_cases"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} on {self.model_name}"

    @property
    def model_display(self) -> str:
        return f"{self.model_name} {self.model_version}".strip()

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0

    def flaky_cases(self) -> list[str]:
        """The cases that passed in some of their repeated runs and failed in others, sorted.

        Sorted because PostgreSQL's jsonb keeps no key order, so the stored order is not the file's.
        """
        return sorted(
            case for case, (passed, runs) in self.repeat_counts.items() if 0 < passed < runs
        )


class TestSetMethod(models.TextChoices):
    __test__ = False  # choices, not a pytest class

    SHARE = "share", "A share of the examples, chosen by a stable hash of each"
    MANUAL = "manual", "Picked by hand"


class TestSet(models.Model):
    """The project's one held-out test set: which examples are in it lives on the examples
    (`FailedExample.in_test_set`); this row says how they were chosen, by whom, and which
    version of the set is current. It changes only when the PM changes it."""

    __test__ = False  # a model, not a pytest class

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="test_set")
    method = models.CharField(max_length=10, choices=TestSetMethod.choices)
    # For a share: the percentage of the examples with an expected output held out.
    share_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"test set v{self.version} of {self.project}"
