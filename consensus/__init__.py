"""How the correspondence group reaches agreement on the map: members' proposals and the
coordinators' review, items without consensus with their options and stated support, their
referral to the working group and its decisions. It sits above the mechanisms because a proposal
or an item can be about a coverage status or a gap."""
