"""Writes on items without consensus: marking them, their options and the support for them,
referring them to the working group, and its decisions. The issue's consensus state follows
its item. Views, the admin, commands and tasks call these."""

import datetime
import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from consensus.models import ConsensusItem, Decision, Option, OptionSupport
from issues.models import OPEN_ISSUE_STATES, Issue
from mechanisms.models import Coverage
from wgec.models import Meeting, Participant
from wgec.versions import ReadVersion, version_check

# The issue's own consensus state follows the state of the item about the issue itself.
_ISSUE_CONSENSUS_FOR_ITEM = {
    ConsensusItem.State.OPEN: Issue.Consensus.NO_CONSENSUS,
    ConsensusItem.State.REFERRED: Issue.Consensus.REFERRED,
    ConsensusItem.State.DECIDED: Issue.Consensus.DECIDED,
}


def issue_consensus_follow(*, item: ConsensusItem) -> None:
    """Bring the issue's consensus state in line with its item's state."""
    if item.issue_id is None:
        return
    wanted = _ISSUE_CONSENSUS_FOR_ITEM[item.state]
    issue = Issue.objects.select_for_update().get(pk=item.issue_id)
    if issue.consensus != wanted:
        issue.consensus = wanted
        issue.save(update_fields=["consensus", "updated_at"])


def _by(instance, user) -> None:
    instance._history_user = user if user is not None and user.is_authenticated else None


def _check_not_decided(item: ConsensusItem) -> None:
    if item.state == ConsensusItem.State.DECIDED:
        raise ValidationError(
            _(
                "The working group has decided this item: its options and the support for them "
                "are frozen."
            )
        )


@transaction.atomic
def item_create(
    *,
    summary: str,
    issue: Issue | None = None,
    coverage: Coverage | None = None,
    user=None,
    illustrative: bool = False,
) -> ConsensusItem:
    """Mark an issue, or one coverage status, as without consensus; the issue follows."""
    if (issue is None) == (coverage is None):
        raise ValidationError(_("Mark either the issue or one of its coverage statuses."))
    subject = issue or coverage.issue
    if subject.state not in OPEN_ISSUE_STATES:
        raise ValidationError(
            _("“%(subject)s” is %(state)s.")
            % {"subject": subject, "state": subject.get_state_display().lower()}
        )
    taken = ConsensusItem.objects.filter(issue=issue) if issue else None
    if coverage is not None:
        taken = ConsensusItem.objects.filter(coverage=coverage)
    if taken.exists():
        raise ValidationError(_("That is already marked as without consensus."))
    item = ConsensusItem(
        issue=issue, coverage=coverage, summary=summary.strip(), illustrative=illustrative
    )
    item.created_by = user if user is not None and user.is_authenticated else None
    item.full_clean()
    _by(item, user)
    item.save()
    issue_consensus_follow(item=item)
    return item


@transaction.atomic
def item_update(
    *, item: ConsensusItem, summary: str, user=None, read: ReadVersion | None = None
) -> ConsensusItem:
    """Change an item's summary; refused (``StaleVersion``) if it changed since the version
    ``read``."""
    item = ConsensusItem.objects.select_for_update().get(pk=item.pk)
    version_check(item, read)
    _check_not_decided(item)
    item.summary = summary.strip()
    item.full_clean()
    _by(item, user)
    item.save(update_fields=["summary"])
    return item


def option_next_label(item: ConsensusItem) -> str:
    taken = set(item.options.values_list("label", flat=True))
    return next((letter for letter in string.ascii_uppercase if letter not in taken), "")


@transaction.atomic
def option_save(
    *,
    item: ConsensusItem,
    text: str,
    label: str = "",
    option: Option | None = None,
    user=None,
    read: ReadVersion | None = None,
) -> Option:
    """Draft a new option for an item (labelled A, B, C ... unless given) or edit one; an edit
    is refused (``StaleVersion``) if the option changed since the version ``read``."""
    item = ConsensusItem.objects.select_for_update().get(pk=item.pk)
    version_check(option, read)
    _check_not_decided(item)
    if option is None:
        option = Option(item=item, label=(label or option_next_label(item)).strip())
    elif option.item_id != item.pk:
        raise ValidationError(_("That option belongs to another item."))
    elif label:
        option.label = label.strip()
    option.text = text.strip()
    option.full_clean()
    _by(option, user)
    option.save()
    return option


@transaction.atomic
def option_support_state(
    *, item: ConsensusItem, participant: Participant, option: Option | None, user=None
) -> OptionSupport | None:
    """A member states (or changes, or withdraws with ``option=None``) the option they
    support on an item; one option per member and item."""
    item = ConsensusItem.objects.select_for_update().get(pk=item.pk)
    _check_not_decided(item)
    if option is not None and option.item_id != item.pk:
        raise ValidationError(_("Choose one of this item's options."))
    support = OptionSupport.objects.filter(item=item, participant=participant).first()
    if option is None:
        if support is not None:
            _by(support, user)
            support.delete()
        return None
    if support is None:
        support = OptionSupport(item=item, participant=participant, option=option)
    elif support.option_id == option.pk:
        return support
    support.option = option
    _by(support, user)
    try:
        with transaction.atomic():
            support.save()
    except IntegrityError:  # the same member stating twice at once: the first one stands
        raise ValidationError(_("Your support was just recorded; reload the page.")) from None
    return support


@transaction.atomic
def item_refer(*, item: ConsensusItem, referred_on: datetime.date, user=None) -> ConsensusItem:
    """Refer an item, with its options, to the working group (terms of reference 6)."""
    item = ConsensusItem.objects.select_for_update().get(pk=item.pk)
    if item.state != ConsensusItem.State.OPEN:
        raise ValidationError(
            _("The item is %(state)s already.") % {"state": item.get_state_display().lower()}
        )
    if item.options.count() < 2:
        raise ValidationError(
            _(
                "Draft at least two options that represent the range of opinions before "
                "referring the item."
            )
        )
    item.state = ConsensusItem.State.REFERRED
    item.referred_on = referred_on
    _by(item, user)
    item.save(update_fields=["state", "referred_on"])
    issue_consensus_follow(item=item)
    return item


@transaction.atomic
def decision_record(
    *,
    item: ConsensusItem,
    meeting: Meeting,
    decided_on: datetime.date,
    option: Option | None = None,
    text: str = "",
    user=None,
    illustrative: bool = False,
    read: ReadVersion | None = None,
) -> Decision:
    """Record the working group's decision on a referred item; the item becomes decided.

    Recording again replaces the earlier decision (the history keeps both); refused
    (``StaleVersion``) if a decision was recorded or changed since the version ``read``.
    """
    item = ConsensusItem.objects.select_for_update().get(pk=item.pk)
    decision = Decision.objects.filter(item=item).first() or Decision(item=item)
    version_check(decision, read)
    decision.option = option
    decision.text = text.strip()
    decision.meeting = meeting
    decision.decided_on = decided_on
    decision.illustrative = illustrative
    decision.recorded_by = user if user is not None and user.is_authenticated else None
    decision.full_clean()
    _by(decision, user)
    decision.save()
    if item.state != ConsensusItem.State.DECIDED:
        item.state = ConsensusItem.State.DECIDED
        _by(item, user)
        item.save(update_fields=["state"])
    issue_consensus_follow(item=item)
    return decision


@transaction.atomic
def decision_withdraw(*, decision: Decision) -> ConsensusItem:
    """Withdraw a decision recorded in error: the item goes back to referred."""
    item = ConsensusItem.objects.select_for_update().get(pk=decision.item_id)
    decision.delete()
    if item.state == ConsensusItem.State.DECIDED:
        item.state = ConsensusItem.State.REFERRED
        item.save(update_fields=["state"])
    issue_consensus_follow(item=item)
    return item
