from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConsensusConfig(AppConfig):
    name = "consensus"
    verbose_name = "Proposals and consensus"

    def ready(self) -> None:
        from consensus.triggers import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self)
