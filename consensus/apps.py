from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConsensusConfig(AppConfig):
    name = "consensus"
    verbose_name = "Proposals and consensus"

    def ready(self) -> None:
        # The rooms below take this room's part through their extension points (the issue's
        # page, merges, the map import); the database keeps its invariants with triggers.
        from consensus import issue_extensions
        from consensus.triggers import install_after_migrate

        issue_extensions.register()
        post_migrate.connect(install_after_migrate, sender=self)
