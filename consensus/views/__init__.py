"""Pages of the consensus room: ``proposals`` and ``items`` (items without consensus and the
referrals to the working group)."""
