"""Links built from one resolved URL are the URLs ``reverse`` gives."""

import pytest
from django.urls import reverse

from wgec.links import link_maker


@pytest.mark.parametrize("name", ["issues:detail", "mechanisms:detail", "issues:item-detail"])
def test_link_maker_gives_what_reverse_gives(name):
    link = link_maker(name)
    for pk in (1, 7, 10, 987654321, 1234567890123):
        assert link(pk) == reverse(name, args=[pk])


def test_link_maker_refuses_what_is_not_an_id():
    with pytest.raises(ValueError):
        link_maker("issues:detail")("1/../../admin")
