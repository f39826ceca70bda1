from django.core.management.base import BaseCommand

from decisions.projects.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo


class Command(BaseCommand):
    help = "Load the demo user and three demo projects; running it again duplicates nothing."

    def handle(self, *args, **options) -> None:
        _, created = load_demo()
        self.stdout.write(f"Demo data: {created} project(s) created.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo login: username {DEMO_USERNAME}, password {DEMO_PASSWORD}")
        )
