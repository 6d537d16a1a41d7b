from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WgecConfig(AppConfig):
    name = "wgec"
    verbose_name = "Working group"

    def ready(self) -> None:
        from wgec.services import secretariat_group_sync_after_migrate

        post_migrate.connect(secretariat_group_sync_after_migrate, sender=self)
