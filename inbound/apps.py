from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "inbound"
    verbose_name = "Mail coming in"

    def ready(self) -> None:
        from inbound import issue_extensions

        issue_extensions.register()
