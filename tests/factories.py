"""factory_boy factories for every model of the exercise."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from consensus.models import ConsensusItem, Decision, Option, OptionSupport, Proposal
from inbound.models import InboundMessage, ReportReply
from issues.models import Answer, Cluster, Comment, Issue, IssueSource, Question, Respondent, Theme
from mechanisms.models import Coverage, Gap, Mechanism
from reports.models import (
    Deliverable,
    Delivery,
    DocumentExport,
    EditableTemplate,
    Report,
    Subscriber,
)
from wgec.models import (
    Attendance,
    Contribution,
    JoinRequest,
    Meeting,
    MeetingDocument,
    Participant,
    StakeholderGroup,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class StakeholderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderGroup
        django_get_or_create = ["slug"]

    slug = "governments"
    name = factory.LazyAttribute(
        lambda group: {
            "governments": "Governments",
            "private-sector": "Private sector",
            "civil-society": "Civil society",
            "technical-academic": "Technical and academic community",
            "intergovernmental": "Intergovernmental and international organisations",
        }.get(group.slug, group.slug.replace("-", " ").capitalize())
    )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    honorific = "Ms."
    name = factory.Sequence(lambda n: f"Participant {n}")
    title = "Counsellor"
    organisation = "Permanent Mission"
    country = "CH"
    stakeholder_group = factory.SubFactory(StakeholderGroupFactory)
    role = Participant.Role.MEMBER
    email = factory.Sequence(lambda n: f"participant{n}@example.org")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda meeting: f"Meeting {meeting.number}")
    start_date = datetime.date(2013, 11, 6)
    end_date = datetime.date(2013, 11, 8)
    venue = "Palais des Nations, Geneva, Switzerland"


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(MeetingFactory)
    kind = MeetingDocument.Kind.CHAIRS_SUMMARY
    title = "Chairman's summary of the meeting"
    text = "1. The meeting was held at the Palais des Nations."


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    participant = factory.SubFactory(ParticipantFactory)
    meeting = factory.SubFactory(MeetingFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["letter"]

    letter = "b"
    title = "Public policy issues and possible mechanisms"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        django_get_or_create = ["code"]

    number = factory.Sequence(lambda n: n + 2)
    part = ""
    code = factory.LazyAttribute(lambda question: f"Q{question.number}{question.part}")
    text = "What are the relevant international public policy issues pertaining to the Internet?"
    theme = factory.SubFactory(ThemeFactory)


class RespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Respondent

    name = factory.Sequence(lambda n: f"Respondent {n}")
    organisation = "Ministry of Communications"
    country = "BR"
    stakeholder_group = factory.SubFactory(StakeholderGroupFactory)
    submitted_at = factory.Sequence(
        lambda n: datetime.datetime(2013, 9, 1, tzinfo=datetime.UTC) + datetime.timedelta(hours=n)
    )
    consent_to_cite = True


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    respondent = factory.SubFactory(RespondentFactory)
    question = factory.SubFactory(QuestionFactory)
    text = "Broadband connectivity and the protection of children online."


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ["slug"]

    slug = "security"
    name = factory.LazyAttribute(lambda cluster: cluster.slug.replace("-", " ").capitalize())


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    title = factory.Sequence(lambda n: f"Issue {n}")
    description = "An international public policy issue pertaining to the Internet."
    cluster = factory.SubFactory(ClusterFactory)
    state = Issue.State.ON_MAP
    needs_agreement = False


class IssueSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueSource

    issue = factory.SubFactory(IssueFactory)
    answer = factory.SubFactory(AnswerFactory)
    excerpt = "Broadband connectivity"


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mechanism

    name = factory.Sequence(lambda n: f"Mechanism {n}")
    acronym = factory.Sequence(lambda n: f"M{n}")
    kind = Mechanism.Kind.INTERGOVERNMENTAL
    website = "https://www.example.org/"


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    issue = factory.SubFactory(IssueFactory)
    mechanism = factory.SubFactory(MechanismFactory)
    status = Coverage.Status.ADDRESSING
    evidence = "A resolution on the subject."


class GapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gap

    issue = factory.SubFactory(IssueFactory)
    type = Gap.Type.POLICY
    description = "No forum addresses the issue."
    recommendation = "A recommendation on where the issue should be addressed."


class ConsensusItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsensusItem

    issue = factory.SubFactory(IssueFactory, consensus=Issue.Consensus.NO_CONSENSUS)
    summary = "Whether the issue belongs on the map."
    state = ConsensusItem.State.OPEN


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    item = factory.SubFactory(ConsensusItemFactory)
    label = factory.Sequence(lambda n: "ABCDEFGHIJ"[n % 10])
    text = "[Keep the issue on the map.]"


class OptionSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OptionSupport

    option = factory.SubFactory(OptionFactory)
    item = factory.SelfAttribute("option.item")
    participant = factory.SubFactory(ParticipantFactory, correspondence_group=True)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    item = factory.SubFactory(
        ConsensusItemFactory,
        state=ConsensusItem.State.REFERRED,
        referred_on=datetime.date(2014, 1, 28),
    )
    text = "The working group keeps the issue on the map."
    meeting = factory.SubFactory(MeetingFactory, number=3)
    decided_on = datetime.date(2014, 2, 26)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"update-{n + 1}")
    kind = Deliverable.Kind.UPDATE_REPORT
    title = factory.LazyAttribute(lambda d: f"Update report {d.slug}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    deliverable = factory.SubFactory(DeliverableFactory)
    introduction = "The correspondence group reviewed the map."
    sent_at = None
    # A sent report bears its date of issue.
    issued_on = factory.LazyAttribute(
        lambda report: timezone.localdate(report.sent_at) if report.sent_at else None
    )


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    state = Subscriber.State.SUBSCRIBED


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    report = factory.SubFactory(ReportFactory)
    subscriber = factory.SubFactory(SubscriberFactory)
    email = factory.SelfAttribute("subscriber.email")


class EditableTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EditableTemplate

    name = "reports/email/report_subject.txt"
    source = "[{{ group_short_name }}] {{ report.title }}"


class DocumentExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentExport

    deliverable = factory.SubFactory(
        DeliverableFactory, slug="final-document", kind=Deliverable.Kind.FINAL_DOCUMENT
    )
    format = DocumentExport.Format.DOCX


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Applicant {n}")
    organisation = "Internet Society chapter"
    stakeholder_group = factory.SubFactory(StakeholderGroupFactory, slug="civil-society")
    country = "KE"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposed change of a coverage status (the commonest kind)."""

    class Meta:
        model = Proposal

    kind = Proposal.Kind.COVERAGE
    coverage = factory.SubFactory(CoverageFactory, status=Coverage.Status.UNKNOWN)
    issue = factory.SelfAttribute("coverage.issue")
    status = Coverage.Status.PARTLY
    baseline = factory.LazyAttribute(
        lambda p: (
            {"exists": True, "status": p.coverage.status, "evidence": p.coverage.evidence}
            if p.coverage
            else {}
        )
    )
    justification = "The 2013 resolution covers part of the issue."
    proposer = factory.SubFactory(ParticipantFactory, correspondence_group=True)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    issue = factory.SubFactory(IssueFactory)
    author = factory.SubFactory(ParticipantFactory, correspondence_group=True)
    text = "The issue should mention *regional* work as well."


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    author = factory.SubFactory(ParticipantFactory, correspondence_group=True)
    title = factory.Sequence(lambda n: f"Draft recommendations {n}")
    kind = Contribution.Kind.RECOMMENDATIONS
    text = "1. The working group recommends ..."
    meeting = factory.SubFactory(MeetingFactory, number=3)
    state = Contribution.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class InboundMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InboundMessage

    mailbox = "wgec@127.0.0.1:10143/INBOX"
    uidvalidity = 1
    uid = factory.Sequence(lambda n: n + 1)
    sender = "stranger@elsewhere.example"
    subject = "A question"
    size = 1200
    outcome = InboundMessage.Outcome.REFUSED
    reason = "its address is not known to this site"


class ReportReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportReply

    report = factory.SubFactory(ReportFactory)
    author = factory.SubFactory(ParticipantFactory, correspondence_group=True)
    subject = "Re: Update report"
    text = "The regional forums should be listed too."
