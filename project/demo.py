"""The demo data of the 2013-14 exercise, loaded from ``fixtures/*.toml``.

The demo loads into an empty exercise, all of it or nothing. Loading again changes nothing: an
exercise that holds data is left as people have changed it. Records refer to each other by
natural keys (a slug, a code, a name, a title); a reference the files cannot resolve is an
error naming the file and the record.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction

from consensus.models import ConsensusItem, Decision, Option, OptionSupport, Proposal
from consensus.services.proposals import baseline_of
from issues.models import Answer, Cluster, Comment, Issue, IssueSource, Question, Respondent, Theme
from mechanisms.models import Coverage, Gap, Mechanism
from reports.models import Deliverable
from wgec.models import (
    Attendance,
    Contribution,
    Meeting,
    MeetingDocument,
    Participant,
    StakeholderGroup,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class DemoDataError(Exception):
    """The demo files contradict themselves (an unknown reference, a misquoted excerpt)."""


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    already_present: bool = False

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()))

    def lines(self) -> list[str]:
        return [f"{name}: {count}" for name, count in sorted(self.created.items())]


class _Loader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.result = LoadResult()

    def read(self, name: str) -> dict[str, Any]:
        path = self.directory / name
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            raise DemoDataError(f"{path} is missing.") from None
        except tomllib.TOMLDecodeError as error:
            raise DemoDataError(f"{path}: {error}") from None

    def ensure[M: models.Model](self, model: type[M], lookup: dict, values: dict) -> M:
        """The record found by ``lookup``, created with ``values`` when missing."""
        label = model._meta.verbose_name_plural
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            instance.save()
            self.result.created[label] += 1
        return instance


def _lookup[T](table: dict[str, T], key: str, what: str, where: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise DemoDataError(f"{where}: unknown {what} {key!r}.") from None


@transaction.atomic
def demo_load(*, directory: Path = FIXTURES_DIR) -> LoadResult:
    """Load the demo data into an empty exercise; all of it or, on any error, nothing.

    Once the exercise holds data, loading again changes nothing: what people did since (merged
    issues, accepted proposals, edits in the admin) is never overwritten or undone.
    """
    if Meeting.objects.exists() or Respondent.objects.exists() or Issue.objects.exists():
        return LoadResult(already_present=True)
    loader = _Loader(directory)
    people = _load_group(loader)
    answers = _load_questionnaire(loader)
    _load_map(loader, answers, people)
    _load_deliverables(loader)
    _load_correspondence(loader, people)
    return loader.result


def _load_group(loader: _Loader) -> dict[str, Participant]:
    data = loader.read("wgec.toml")
    groups = {
        row["slug"]: loader.ensure(
            StakeholderGroup, {"slug": row["slug"]}, {"name": row["name"], "position": position}
        )
        for position, row in enumerate(data["stakeholder_groups"], start=1)
    }
    people: dict[str, Participant] = {}
    for row in data["participants"]:
        where = f"wgec.toml, participant {row['name']!r}"
        people[row["name"]] = loader.ensure(
            Participant,
            {"name": row["name"]},
            {
                "honorific": row.get("honorific", ""),
                "title": row.get("title", ""),
                "organisation": row.get("organisation", ""),
                "country": row.get("country", ""),
                "stakeholder_group_id": _lookup(groups, row["group"], "group", where).pk,
                "role": row["role"],
                "email": row.get("email", ""),
                "correspondence_group": row.get("correspondence_group", False),
            },
        )
    meetings = {}
    for row in data["meetings"]:
        where = f"wgec.toml, meeting {row['number']}"
        meetings[row["number"]] = loader.ensure(
            Meeting,
            {"number": row["number"]},
            {
                "title": row["title"],
                "start_date": row["start"],
                "end_date": row["end"],
                "venue": row["venue"],
                "chair_id": _lookup(people, row["chair"], "participant", where).pk,
                "remote_participation": row.get("remote_participation", True),
                "summary": row.get("summary", ""),
            },
        )
    for row in data["meetings"]:
        for position, document in enumerate(row.get("documents", []), start=1):
            loader.ensure(
                MeetingDocument,
                {"meeting_id": meetings[row["number"]].pk, "title": document["title"]},
                {
                    "kind": document["kind"],
                    "text": document.get("text", "").strip(),
                    "url": document.get("url", ""),
                    "position": position,
                },
            )
    for row in data["participants"]:
        for attended in row.get("attended", []):
            where = f"wgec.toml, participant {row['name']!r}"
            meeting = _lookup(meetings, attended["meeting"], "meeting", where)
            loader.ensure(
                Attendance,
                {"participant_id": people[row["name"]].pk, "meeting_id": meeting.pk},
                {"remote": attended.get("remote", False)},
            )
    return people


def _load_questionnaire(loader: _Loader) -> dict[tuple[str, str], Answer]:
    data = loader.read("questionnaire.toml")
    groups = {group.slug: group for group in StakeholderGroup.objects.all()}
    themes = {
        row["letter"]: loader.ensure(
            Theme,
            {"letter": row["letter"]},
            {"title": row["title"], "description": row.get("description", "")},
        )
        for row in data["themes"]
    }
    questions = {}
    for row in data["questions"]:
        where = f"questionnaire.toml, question {row['code']}"
        questions[row["code"]] = loader.ensure(
            Question,
            {"code": row["code"]},
            {
                "number": row["number"],
                "part": row.get("part", ""),
                "text": row["text"],
                "theme_id": _lookup(themes, row["theme"], "theme", where).pk,
            },
        )
    answers: dict[tuple[str, str], Answer] = {}
    for row in data["respondents"]:
        where = f"questionnaire.toml, respondent {row['name']!r}"
        respondent = loader.ensure(
            Respondent,
            {
                "name": row["name"],
                "organisation": row.get("organisation", ""),
                "submitted_at": row["submitted"],
            },
            {
                "country": row.get("country", ""),
                "stakeholder_group_id": _lookup(groups, row["group"], "group", where).pk,
                "consent_to_cite": row["consent"],
                "language": row.get("language", ""),
                "illustrative": row.get("illustrative", False),
            },
        )
        for code, text in row.get("answers", {}).items():
            question = _lookup(questions, code, "question", where)
            answers[(row["name"], code)] = loader.ensure(
                Answer,
                {"respondent_id": respondent.pk, "question_id": question.pk},
                {"text": text.strip()},
            )
    return answers


def _load_map(
    loader: _Loader,
    answers: dict[tuple[str, str], Answer],
    people: dict[str, Participant],
) -> None:
    data = loader.read("map.toml")
    clusters = {
        row["slug"]: loader.ensure(
            Cluster,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "description": row.get("description", ""),
                "position": position,
            },
        )
        for position, row in enumerate(data["clusters"], start=1)
    }
    mechanisms: dict[str, Mechanism] = {}
    for row in data["mechanisms"]:
        mechanism = loader.ensure(
            Mechanism,
            {"name": row["name"]},
            {
                "acronym": row.get("acronym", ""),
                "kind": row["kind"],
                "website": row.get("website", ""),
                "description": row.get("description", ""),
            },
        )
        mechanisms[mechanism.short_name] = mechanisms[mechanism.name] = mechanism

    # Surviving issues first, so that merged ones can point at them.
    rows = sorted(data["issues"], key=lambda row: row.get("state") == Issue.State.MERGED)
    issues: dict[str, Issue] = {}
    coverage: dict[tuple[str, str], Coverage] = {}
    for row in rows:
        where = f"map.toml, issue {row['title']!r}"
        merged_into = row.get("merged_into") or ""
        issue = loader.ensure(
            Issue,
            {"title": row["title"]},
            {
                "cluster_id": _lookup(clusters, row["cluster"], "cluster", where).pk
                if row.get("cluster")
                else None,
                "description": row.get("description", ""),
                "state": row.get("state", Issue.State.ON_MAP),
                # Proposed issues were raised after the second meeting and await agreement.
                "needs_agreement": row.get("state") == Issue.State.PROPOSED,
                "consensus": row.get("consensus", Issue.Consensus.AGREED),
                "merged_into_id": _lookup(issues, merged_into, "issue", where).pk
                if merged_into
                else None,
            },
        )
        issues[row["title"]] = issue
        for source in row.get("sources", []):
            answer = _lookup(answers, (source["respondent"], source["question"]), "answer", where)
            if source["excerpt"] not in answer.text:
                raise DemoDataError(
                    f"{where}: the excerpt {source['excerpt']!r} is not in the answer of "
                    f"{source['respondent']} to {source['question']}."
                )
            loader.ensure(
                IssueSource,
                {"issue_id": issue.pk, "answer_id": answer.pk},
                {"excerpt": source["excerpt"]},
            )
        for row_coverage in row.get("coverage", []):
            mechanism = _lookup(mechanisms, row_coverage["mechanism"], "mechanism", where)
            coverage[(row["title"], row_coverage["mechanism"])] = loader.ensure(
                Coverage,
                {"issue_id": issue.pk, "mechanism_id": mechanism.pk},
                {"status": row_coverage["status"], "evidence": row_coverage.get("evidence", "")},
            )
        for gap in row.get("gaps", []):
            loader.ensure(
                Gap,
                {"issue_id": issue.pk, "type": gap["type"]},
                {
                    "description": gap.get("description", ""),
                    "recommendation": gap.get("recommendation", ""),
                },
            )

    for row in data.get("consensus_items", []):
        _load_consensus_item(loader, row, issues, coverage, people)


def _load_consensus_item(
    loader: _Loader,
    row: dict[str, Any],
    issues: dict[str, Issue],
    coverage: dict[tuple[str, str], Coverage],
    people: dict[str, Participant],
) -> None:
    where = f"map.toml, item on {row['issue']!r}"
    issue = _lookup(issues, row["issue"], "issue", where)
    if row.get("mechanism"):
        subject = {
            "issue_id": None,
            "coverage_id": _lookup(
                coverage, (row["issue"], row["mechanism"]), "coverage", where
            ).pk,
        }
    else:
        subject = {"issue_id": issue.pk, "coverage_id": None}
    lookup = {"issue_id": subject["issue_id"]} if subject["issue_id"] else subject
    state = row["state"]
    # An item becomes decided only once its decision exists (issues/triggers.py).
    stored_state = ConsensusItem.State.REFERRED if state == ConsensusItem.State.DECIDED else state
    item = loader.ensure(
        ConsensusItem,
        lookup,
        {
            **{name: value for name, value in subject.items() if name not in lookup},
            "summary": row["summary"],
            "state": stored_state,
            "referred_on": row.get("referred_on"),
        },
    )
    options = {}
    for option_row in row.get("options", []):
        options[option_row["label"]] = option = loader.ensure(
            Option, {"item_id": item.pk, "label": option_row["label"]}, {"text": option_row["text"]}
        )
        for name in option_row.get("supporters", []):
            participant = _lookup(people, name, "participant", where)
            loader.ensure(
                OptionSupport,
                {"item_id": item.pk, "participant_id": participant.pk},
                {"option_id": option.pk},
            )
    decision = row.get("decision")
    if decision:
        meeting = Meeting.objects.filter(number=decision["meeting"]).first()
        if meeting is None:
            raise DemoDataError(f"{where}: unknown meeting {decision['meeting']!r}.")
        label = decision.get("option", "")
        loader.ensure(
            Decision,
            {"item_id": item.pk},
            {
                "option_id": _lookup(options, label, "option", where).pk if label else None,
                "text": decision.get("text", ""),
                "meeting_id": meeting.pk,
                "decided_on": decision["decided_on"],
            },
        )
        if item.state != ConsensusItem.State.DECIDED:
            item.state = ConsensusItem.State.DECIDED
            item.save(update_fields=["state"])


def _load_deliverables(loader: _Loader) -> None:
    data = loader.read("reports.toml")
    for row in data["deliverables"]:
        loader.ensure(
            Deliverable,
            {"slug": row["slug"]},
            {"kind": row["kind"], "title": row["title"], "due_date": row["due"]},
        )


def _load_correspondence(loader: _Loader, people: dict[str, Participant]) -> None:
    """Pending proposals, comments and contributions (illustrative). They are created once and
    then left as people change them in the running app (accepted, declined, published)."""
    data = loader.read("correspondence.toml")
    issues = {issue.title: issue for issue in Issue.objects.all()}
    clusters = {cluster.slug: cluster for cluster in Cluster.objects.all()}
    mechanisms = {}
    for mechanism in Mechanism.objects.all():
        mechanisms[mechanism.short_name] = mechanisms[mechanism.name] = mechanism
    for row in data.get("proposals", []):
        where = f"correspondence.toml, proposal by {row['proposer']!r}"
        proposer = _lookup(people, row["proposer"], "participant", where)
        issue = _lookup(issues, row["issue"], "issue", where) if row.get("issue") else None
        values = {
            "kind": row["kind"],
            "issue": issue,
            "title": row.get("title", ""),
            "description": row.get("description", ""),
            "cluster": _lookup(clusters, row["cluster"], "cluster", where)
            if row.get("cluster")
            else None,
            "mechanism_name": row.get("mechanism_name", ""),
            "mechanism_acronym": row.get("mechanism_acronym", ""),
            "mechanism_kind": row.get("mechanism_kind", ""),
            "mechanism_website": row.get("mechanism_website", ""),
            "status": row.get("status", ""),
            "evidence": row.get("evidence", ""),
            "gap_type": row.get("gap_type", ""),
            "gap_description": row.get("gap_description", ""),
            "gap_recommendation": row.get("gap_recommendation", ""),
        }
        if row["kind"] == Proposal.Kind.COVERAGE:
            mechanism = _lookup(mechanisms, row["mechanism"], "mechanism", where)
            values["coverage"] = Coverage.objects.filter(issue=issue, mechanism=mechanism).first()
            if values["coverage"] is None:
                raise DemoDataError(f"{where}: {row['mechanism']} does not cover {issue}.")
        values["baseline"] = baseline_of(Proposal(**values))
        loader.ensure(
            Proposal,
            {"proposer": proposer, "justification": row["justification"].strip()},
            values,
        )
    for row in data.get("comments", []):
        where = f"correspondence.toml, comment by {row['author']!r}"
        loader.ensure(
            Comment,
            {
                "issue": _lookup(issues, row["issue"], "issue", where),
                "author": _lookup(people, row["author"], "participant", where),
                "text": row["text"].strip(),
            },
            {},
        )
    meetings = {meeting.number: meeting for meeting in Meeting.objects.all()}
    for row in data.get("contributions", []):
        where = f"correspondence.toml, contribution {row['title']!r}"
        published = row.get("published")
        loader.ensure(
            Contribution,
            {"title": row["title"]},
            {
                "author": _lookup(people, row["author"], "participant", where),
                "kind": row["kind"],
                "text": row["text"].strip(),
                "meeting": _lookup(meetings, row["meeting"], "meeting", where)
                if row.get("meeting")
                else None,
                "state": Contribution.State.PUBLISHED
                if published
                else Contribution.State.SUBMITTED,
                "published_at": published,
                "illustrative": True,
            },
        )
