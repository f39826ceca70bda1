from django.apps import AppConfig


class FlowchartConfig(AppConfig):
    name = "decisions.flowchart"
    label = "flowchart"
