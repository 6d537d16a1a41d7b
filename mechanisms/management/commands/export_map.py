from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mechanisms.map_workbook.export import map_export_files


class Command(BaseCommand):
    help = (
        "Export the issue map: -o map.xlsx writes one workbook (sheets Issues, Mechanisms, "
        "Coverage); -o map.csv writes map-issues.csv, map-mechanisms.csv and map-coverage.csv."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", required=True, help="map.xlsx or map.csv")

    def handle(self, *args, output: str, **options) -> None:
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(_("%(folder)s is not a folder.") % {"folder": path.parent})
        try:
            written = map_export_files(path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for file in written:
            self.stdout.write(_("wrote %(file)s") % {"file": file})
