from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WgecConfig(AppConfig):
    name = "wgec"
    verbose_name = "Working group"

    def ready(self) -> None:
        from wgec.services import secretariat_group_sync_after_migrate

        # After every app's post_migrate, not only this one's: the permissions of the rooms
        # installed after this one are created by their own signal, later in the same migrate.
        post_migrate.connect(
            secretariat_group_sync_after_migrate, dispatch_uid="wgec.secretariat_group_sync"
        )
