from django import template

from yjs.programmes.selectors import one_place as _one_place

register = template.Library()


@register.filter
def one_place(value):
    """A mean with one decimal place, "–" when there is none."""
    return _one_place(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
