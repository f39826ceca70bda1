"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decisions.settings")

application = get_asgi_application()

from decisions.lib.startup import refuse_insecure_start  # noqa: E402 (needs the settings)

refuse_insecure_start()
