"""The list of participants as the UN prints it, checked against Annex 2 of the Chair's summary of
the second meeting (shared/seeds/000_9a85b28d03cb732a.txt): delegations in English alphabetical
order of their UN names, people in the order of the list, "(remote participant)" on the seven
remote participants, no organisation repeated on a line."""

import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from project.demo import demo_load
from reports.final import document_issue
from reports.formats import final_document_bytes
from reports.models import Deliverable
from wgec.models import Meeting
from wgec.participants import meeting_participants, participant_line

pytestmark = pytest.mark.django_db

# Annex 2 of the seed, in its order; countries by their UN short names.
ANNEX_2 = [
    ("States Members of the Working Group", [
        ("Brazil", ["Benedicto Fonseca"]),
        ("Dominican Republic", ["Mirna González"]),
        ("Finland", ["Mervi Kultamaa", "Juuso Moisander"]),
        ("France", ["Nathalie Brat"]),
        ("Hungary", ["Mark Horvath", "Peter Major"]),
        ("India", ["B.N. Reddy", "Alpana Dubey", "Ajay Kumar"]),
        ("Iran (Islamic Republic of)", ["Jafar Barmaki"]),
        ("Japan", ["Mari Ichikawa", "Mitsuo Tsunoda", "Makato Yokozawa", "Naoya Bessho"]),
        ("Latvia", ["Raimonds Jansons", "Ilva Kase", "Elina Volksone"]),
        ("Lesotho", ["Moshe Kao"]),
        ("Mexico", ["Victoria Romero"]),
        ("Nigeria", ["Eze Martin N"]),
        ("Russian Federation", ["Alexander Grishchenko", "Yulia Elanskaya", "Khroyushin Alexey"]),
        ("Saudi Arabia", ["Majed Almazyed", "Mansour Alqurashi"]),
        ("Sweden", ["Per Linner"]),
        ("Switzerland", ["Patrick Pardo", "Dirk-Oliver Von der Emden"]),
        ("United States of America", ["Marian Gordon", "Liesyl Franz", "Nicole Ozark",
                                      "Richard Johns", "Chris Herrlein", "Kiran Duwadi"]),
    ]),
    ("Other Stakeholders Members of the Working Group", [
        ("Representatives from the private sector", ["Virat Bhatia", "Ellen Blacker",
                                                     "Marilyn Cade", "Jimson Olufuye",
                                                     "Phil Rushton"]),
        ("Representatives from the civil society", ["Carlos A. Afonso", "Avri Doria",
                                                    "Grace Githaiga", "Joy Liddicoat",
                                                    "Parminder Jeet Singh"]),
        ("Representatives from the technical and academic community", [
            "Constance Bommelaer", "Alex Corenthin", "Baher Esmat", "Andrés Piazza"]),
        ("Representatives from the intergovernmental and international organisations", [
            "Preetam Maloor", "Jeounghee Kim", "Wai-Min Kwok", "Patrick Spearing"]),
    ]),
    ("Member States Observers", [
        ("Australia", ["Jeffie Kaine"]),
        ("Canada", ["Paul Charlton"]),
        ("Pakistan", ["Fareha Bugti"]),
        ("South Africa", ["Pragashnie Adurthy"]),
        ("United Kingdom of Great Britain and Northern Ireland", ["Alexandra Cole"]),
    ]),
    ("Other Stakeholders Observers", [
        ("", ["Samantha Dickinson", "William Drake", "Lea Kaspar", "Sirirat Kiatichaipaibul",
              "Wolfgang Kleinwachter", "Delphine Lida", "Mathew Shears"]),
    ]),
    ("Secretariat", [
        ("UNCTAD", ["Anne Miroux", "Mongi Hamdi", "Padmashree Gehl Sampath",
                    "Claudia Contreras Rojas", "Tansug OK", "Abiy Solomon"]),
    ]),
]  # fmt: skip
REMOTE = {
    "Mirna González",
    "Mervi Kultamaa",
    "Avri Doria",
    "Joy Liddicoat",
    "Alex Corenthin",
    "Wai-Min Kwok",
    "Patrick Spearing",
}


@pytest.fixture
def second_meeting(db):
    demo_load()
    return Meeting.objects.get(number=2)


def test_the_list_of_the_second_meeting_is_annex_2_of_its_chairs_summary(second_meeting):
    sections = meeting_participants(second_meeting)
    listed = [
        (
            section.heading,
            [
                (group.heading, [person.name for person in group.participants])
                for group in section.groups
            ],
        )
        for section in sections
    ]
    assert listed == ANNEX_2
    remote = {
        person.name
        for section in sections
        for group in section.groups
        for person in group.participants
        if person.remote
    }
    assert remote == REMOTE


def test_no_line_repeats_its_organisation(second_meeting):
    for section in meeting_participants(second_meeting):
        for group in section.groups:
            for person in group.participants:
                line = participant_line(person, heading=group.heading)
                if person.organisation:
                    assert line.count(person.organisation) <= 1, line
                if group.heading == "UNCTAD":
                    assert "UNCTAD" not in line, line


def _docx_lines(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs]


def test_every_list_and_annex_marks_the_seven_remote_participants(second_meeting, client):
    page = client.get(reverse("meetings:detail", args=[2])).content.decode()
    assert page.count("(remote participant)") == 7
    lines = _docx_lines(client.get(reverse("meetings:participants-docx", args=[2])).content)
    assert sum("(remote participant)" in line for line in lines) == 7
    final = Deliverable.objects.get(slug="final-document")
    lines = _docx_lines(
        final_document_bytes(issue=document_issue(final, now=timezone.now()), format="docx")
    )
    annex = lines[len(lines) - lines[::-1].index("Annex III. List of participants") :]
    assert sum("(remote participant)" in line for line in annex) == 7
    assert "Iran (Islamic Republic of)" in annex and "Iran" not in annex
