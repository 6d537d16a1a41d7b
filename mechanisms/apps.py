from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MechanismsConfig(AppConfig):
    name = "mechanisms"
    verbose_name = "Mechanisms, coverage and gaps"

    def ready(self) -> None:
        # The issues room's extension points (issue page, history, merges) take this room's part.
        # The map's version token, which keys its cached pages, is kept by triggers.
        from mechanisms import issue_extensions
        from mechanisms.triggers import install_after_migrate

        issue_extensions.register()
        post_migrate.connect(install_after_migrate, sender=self)
