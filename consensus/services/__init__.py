"""Writes of the consensus room: ``proposals`` (submitting, editing, withdrawing, accepting and
declining) and ``items`` (items without consensus, options, support, referral, decisions)."""
