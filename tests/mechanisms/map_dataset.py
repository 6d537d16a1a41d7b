"""A small map with fixed IDs, matching the golden workbooks in tests/mechanisms/files/."""

from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism


def build_map_dataset() -> None:
    infrastructure = Cluster.objects.create(
        slug="infrastructure", name="Infrastructure and standardisation", position=1
    )
    security = Cluster.objects.create(slug="security", name="Security", position=2)
    itu = Mechanism.objects.create(
        pk=9001,
        name="International Telecommunication Union",
        acronym="ITU",
        kind="intergovernmental",
        website="https://www.itu.int/",
    )
    icann = Mechanism.objects.create(
        pk=9002,
        name="Internet Corporation for Assigned Names and Numbers",
        acronym="ICANN",
        kind="multistakeholder",
        website="https://www.icann.org/",
    )
    coe = Mechanism.objects.create(
        pk=9003, name="Council of Europe", acronym="CoE", kind="regional", website=""
    )
    dns = Issue.objects.create(
        pk=9101,
        title="Domain name system",
        cluster=infrastructure,
        description="Coordination of the DNS.\r\nIncluding new gTLDs.",
        state="on_map",
        needs_agreement=False,
    )
    spam = Issue.objects.create(
        pk=9102,
        title="Spam",
        cluster=security,
        description="Unsolicited bulk messages.",
        state="on_map",
        needs_agreement=False,
    )
    Issue.objects.create(
        pk=9103,
        title="Algorithmic accountability",
        cluster=security,
        description="Raised after the second meeting.",
        state="proposed",
        needs_agreement=True,
    )
    Coverage.objects.create(
        issue=dns, mechanism=icann, status="addressing", evidence="ICANN Bylaws"
    )
    Coverage.objects.create(
        issue=dns, mechanism=itu, status="partly", evidence='=HYPERLINK("http://x")'
    )
    Coverage.objects.create(issue=spam, mechanism=itu, status="partly", evidence="ITU-T X.1231")
    Coverage.objects.create(issue=spam, mechanism=coe, status="unknown", evidence="")
    Gap.objects.create(
        issue=spam,
        type="policy",
        description="No forum addresses spam globally.",
        recommendation="Name a forum.",
    )
    Gap.objects.create(
        issue=spam,
        type="capacity",
        description="Developing countries lack anti-spam capacity.",
        recommendation="",
    )
