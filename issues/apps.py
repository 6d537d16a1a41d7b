from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "Questionnaire and issues"

    def ready(self) -> None:
        from issues import issue_sections
        from issues.triggers import install_after_migrate

        issue_sections.register()
        post_migrate.connect(install_after_migrate, sender=self)
