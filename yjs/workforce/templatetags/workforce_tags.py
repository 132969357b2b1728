from django import template

from yjs.permissions import count_text

register = template.Library()


@register.filter
def children_count(n: int, exact: bool) -> str:
    """A count of children: exact for those who may see the children behind it, else 1-4 are
    "fewer than 5" (KPIS.md §1.6); 0 is 0."""
    return str(n) if exact or not n else count_text(n)
