"""What a browser sends back from a page's forms: every field as the page rendered it."""

from django import forms


def _put(data: dict, bound) -> None:
    value = bound.value()
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        if widget.check_test(value):
            data[bound.html_name] = "on"
        return
    if isinstance(value, list | tuple):
        data[bound.html_name] = [str(v) for v in value]
        return
    data[bound.html_name] = "" if value is None else str(value)


def form_data(form: forms.BaseForm) -> dict:
    data: dict = {}
    for bound in form:
        _put(data, bound)
    return data


def admin_change_data(response) -> dict:
    """The admin change form of ``response`` as a browser would post it unchanged: the main
    form, each inline formset's management form and rows, hidden fields included."""
    data = form_data(response.context["adminform"].form)
    # The history's revert page has no inlines.
    inlines = response.context.get("inline_admin_formsets") or []
    for inline in inlines:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def admin_changelist_data(response) -> dict:
    """The editable rows of an admin list as a browser posts them when saving."""
    formset = response.context["cl"].formset
    data = {**form_data(formset.management_form), "_save": "Save"}
    for form in formset.forms:
        data.update(form_data(form))
    return data
