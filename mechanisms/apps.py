from django.apps import AppConfig


class MechanismsConfig(AppConfig):
    name = "mechanisms"
    verbose_name = "Mechanisms, coverage and gaps"

    def ready(self) -> None:
        # The issues room's extension points (issue page, history, merges) take this room's part.
        from mechanisms import issue_extensions

        issue_extensions.register()
