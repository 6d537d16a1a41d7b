"""Participants grouped as a UN list of participants groups them (Annex 2 of the Chair's summary).

States members by country; other stakeholder members by stakeholder group; observer States by
country; other observers; the secretariat by organisation. The Chair and the coordinators are
members and stand with their country or group. Used by the documents and the meeting pages.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F

from wgec.documents.docx import DocxWriter
from wgec.models import Meeting, Participant

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


SECTIONS = [
    ("state-members", "States Members of the Working Group"),
    ("stakeholder-members", "Other Stakeholders Members of the Working Group"),
    ("state-observers", "Member States Observers"),
    ("stakeholder-observers", "Other Stakeholders Observers"),
    ("secretariat", "Secretariat"),
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
        return participant.country.name if participant.country else "Country not recorded"
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

    Countries are in alphabetical order, stakeholder groups in their own order, people by name.
    """
    if participants is None:
        participants = Participant.objects.for_listing()
    sections = {key: ParticipantSection(key, heading) for key, heading in SECTIONS}
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
        group.participants.sort(key=lambda person: person.name.casefold())
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


def participant_line(person: Participant) -> str:
    """A line of a list of participants: name, title, organisation (and remote participation)."""
    line = ", ".join(
        part for part in (person.display_name, person.title, person.organisation) if part
    )
    if getattr(person, "remote", False):
        line += " (remote participant)"
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
                writer.paragraph(participant_line(person))
