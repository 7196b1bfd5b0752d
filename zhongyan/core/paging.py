"""Pagination that sorts and slices only primary keys, then loads the page's rows.

Why: a list page of a large table (10,000 demands) asks for twenty rows sorted out of thousands
that pass a visibility filter. Sorting the whole rows makes the database read every wide row;
sorting their keys lets it answer from a covering index (demands_demand_visible_idx), and the
twenty rows are then fetched by primary key with the queryset's own select_related and
prefetch_related. Same pages, same order, same count as Django's Paginator.
"""

from typing import Any

from django.core.paginator import Page, Paginator


class KeysFirstPaginator(Paginator):
    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
