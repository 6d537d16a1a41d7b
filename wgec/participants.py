"""Participants grouped as a UN list of participants groups them (Annex 2 of the Chair's summary).

States members by country; other stakeholder members by stakeholder group; observer States by
country; other observers; the secretariat by organisation. The Chair and the coordinators are
members and stand with their country or group. Delegations are in English alphabetical order of
their UN country names; within a delegation or group, people keep the order of the list
(``Participant.position``: the head of delegation first). Used by the documents and the meeting
pages.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext, gettext_noop

from wgec.countries import un_name
from wgec.documents.docx import DocxWriter
from wgec.documents.history import rows_as_of
from wgec.models import Attendance, Meeting, Participant, StakeholderGroup

MEMBER_ROLES = {Participant.Role.MEMBER, Participant.Role.CHAIR, Participant.Role.COORDINATOR}


@dataclass
class ParticipantGroup:
    heading: str  # a country, a stakeholder group, an organisation; empty for a plain list
    participants: list[Participant] = field(default_factory=list)


@dataclass
class ParticipantSection:
    key: str
    heading: str
    groups: list[ParticipantGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.participants) for group in self.groups)


# Named in the active language when a list is built (a document's language).
SECTIONS = [
    ("state-members", gettext_noop("States Members of the Working Group")),
    ("stakeholder-members", gettext_noop("Other Stakeholders Members of the Working Group")),
    ("state-observers", gettext_noop("Member States Observers")),
    ("stakeholder-observers", gettext_noop("Other Stakeholders Observers")),
    ("secretariat", gettext_noop("Secretariat")),
]


def _section_of(participant: Participant) -> str:
    if participant.role == Participant.Role.SECRETARIAT:
        return "secretariat"
    governmental = participant.stakeholder_group.is_governmental
    if participant.role in MEMBER_ROLES:
        return "state-members" if governmental else "stakeholder-members"
    return "state-observers" if governmental else "stakeholder-observers"


def _group_heading(section: str, participant: Participant) -> str:
    if section in {"state-members", "state-observers"}:
        if participant.country:
            return un_name(participant.country.code)
        return gettext("Country not recorded")
    if section == "stakeholder-members":
        return (
            f"Representatives from the {participant.stakeholder_group.name[:1].lower()}"
            + (participant.stakeholder_group.name[1:])
        )
    if section == "secretariat":
        return participant.organisation
    return ""


def participants_by_section(
    participants: Iterable[Participant] | None = None,
) -> list[ParticipantSection]:
    """The sections of a list of participants, each with its groups; empty sections left out.

    Countries in English alphabetical order of their UN names, stakeholder groups in their own
    order, people in the order of the list (then by name).
    """
    if participants is None:
        participants = Participant.objects.for_listing()
    sections = {key: ParticipantSection(key, gettext(heading)) for key, heading in SECTIONS}
    groups: dict[tuple[str, str], ParticipantGroup] = {}
    order: dict[tuple[str, str], tuple] = {}
    for participant in participants:
        section = _section_of(participant)
        heading = _group_heading(section, participant)
        key = (section, heading)
        if key not in groups:
            groups[key] = ParticipantGroup(heading)
            position = (
                participant.stakeholder_group.position if section == "stakeholder-members" else 0
            )
            order[key] = (position, heading.casefold())
        groups[key].participants.append(participant)
    for key in sorted(groups, key=lambda key: order[key]):
        group = groups[key]
        group.participants.sort(key=lambda person: (person.position, person.name.casefold()))
        for person in group.participants:
            person.listed_as = _listed_as(person, group.heading)
        sections[key[0]].groups.append(group)
    return [section for section in sections.values() if section.groups]


def meeting_participants(meeting: Meeting) -> list[ParticipantSection]:
    """Who attended a meeting, grouped; each participant carries ``remote``."""
    attended = (
        Participant.objects.for_listing()
        .filter(attendances__meeting=meeting)
        .annotate(remote=F("attendances__remote"))
    )
    return participants_by_section(attended)


_FIELDS = [
    "id",
    "honorific",
    "name",
    "title",
    "organisation",
    "country",
    "stakeholder_group_id",
    "role",
    "position",
    "illustrative",
]


def participants_as_of(
    moment: datetime.datetime | None, *, ids: Iterable[int] | None = None
) -> dict[int, Participant]:
    """Participants as they stood at ``moment`` (None: now), by id; unsaved instances that
    carry their stakeholder group. ``ids`` limits the read to those participants."""
    rows = rows_as_of(Participant, moment)
    if ids is not None:
        rows = rows.filter(id__in=list(ids))
    groups = {group.pk: group for group in StakeholderGroup.objects.all()}
    people = {}
    for row in rows.values_list(*_FIELDS):
        person = Participant(**dict(zip(_FIELDS, row, strict=True)))
        person.stakeholder_group = groups[person.stakeholder_group_id]
        people[person.pk] = person
    return people


def meeting_participants_as_of(
    meeting: Meeting, moment: datetime.datetime | None
) -> list[ParticipantSection]:
    """A meeting's list of participants as the records stood at ``moment`` (None: now)."""
    attended = dict(
        rows_as_of(Attendance, moment)
        .filter(meeting_id=meeting.pk)
        .values_list("participant_id", "remote")
    )
    people = participants_as_of(moment, ids=attended)
    for pk, person in people.items():
        person.remote = attended[pk]
    return participants_by_section(people.values())


def last_meeting_by(day: datetime.date) -> Meeting | None:
    """The last meeting held by ``day``: a document issued that day lists its participants."""
    return Meeting.objects.filter(end_date__lte=day).order_by("-end_date").first()


def _listed_as(person: Participant, heading: str) -> str:
    """Name, title and organisation; the organisation is left out when the line already says
    it: it is the group's heading (the secretariat's UNCTAD), or the title names it."""
    organisation = person.organisation
    if organisation and (
        organisation.casefold() == heading.casefold()
        or organisation.casefold() in person.title.casefold()
    ):
        organisation = ""
    return ", ".join(part for part in (person.display_name, person.title, organisation) if part)


def participant_line(person: Participant, *, heading: str = "") -> str:
    """A line of a list of participants: name, title, organisation, "(remote participant)"."""
    line = getattr(person, "listed_as", None) or _listed_as(person, heading)
    if getattr(person, "remote", False):
        line += " " + gettext("(remote participant)")
    return line


def participants_docx(
    writer: DocxWriter, sections: list[ParticipantSection], *, level: int = 2
) -> None:
    """Write a list of participants, a heading per section and group."""
    for section in sections:
        writer.heading(section.heading, level)
        for group in section.groups:
            if group.heading:
                writer.heading(group.heading, level + 1)
            for person in group.participants:
                writer.paragraph(participant_line(person, heading=group.heading))
