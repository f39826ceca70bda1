from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The benchmark, its live-load harness and the demo loader, with their commands."""

    name = "devtools"
    label = "devtools"
