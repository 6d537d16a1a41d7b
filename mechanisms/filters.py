import django_filters
from django.db.models import Q

from mechanisms.models import Mechanism


class MechanismFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or acronym", method="filter_name")
    kind = django_filters.ChoiceFilter(choices=Mechanism.Kind.choices, empty_label="Any kind")

    class Meta:
        model = Mechanism
        fields = ["q", "kind"]

    def filter_name(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
        return queryset
