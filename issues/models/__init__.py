"""Where issues come from and what they are: the questionnaire and its responses
(``questionnaire``), the issue list with its life cycle, merges and sources (``issue_list``), and
the correspondence group's comments on issues (``comments``)."""

from issues.models.comments import Comment, CommentQuerySet
from issues.models.imports import ResponsesImport
from issues.models.issue_list import (
    OPEN_ISSUE_STATES,
    Cluster,
    Issue,
    IssueConsensus,
    IssueMerge,
    IssueQuerySet,
    IssueSource,
    IssueSourceQuerySet,
    IssueState,
)
from issues.models.questionnaire import (
    Answer,
    AnswerQuerySet,
    Cosigner,
    Question,
    QuestionQuerySet,
    Respondent,
    RespondentQuerySet,
    Theme,
)

__all__ = [
    "OPEN_ISSUE_STATES",
    "ResponsesImport",
    "Answer",
    "AnswerQuerySet",
    "Cluster",
    "Comment",
    "CommentQuerySet",
    "Cosigner",
    "Issue",
    "IssueConsensus",
    "IssueMerge",
    "IssueQuerySet",
    "IssueSource",
    "IssueSourceQuerySet",
    "IssueState",
    "Question",
    "QuestionQuerySet",
    "Respondent",
    "RespondentQuerySet",
    "Theme",
]
