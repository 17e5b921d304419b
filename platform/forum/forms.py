from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Forum, Mode
from .services import MAX_BODY_LENGTH, MAX_TITLE_LENGTH

MARKUP_HELP = _(
    "This form accepts SPIP shortcuts [->url] {{bold}} {italics} <quote> <code> "
    "and the HTML code <q> <del> <ins>. To create paragraphs, simply leave blank "
    "lines."
)


def _no_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("This text contains a forbidden character."))
    return value


class PostForm(forms.Form):
    """A message; visitors also say who they are. `website` is a trap for robots."""

    guest_name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    guest_email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Never shown; we send you a link to confirm your message."),
    )
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKUP_HELP,
    )
    organisation = forms.TypedChoiceField(
        label=_("On behalf of"), coerce=int, required=False
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, user=None, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.is_guest = not (user and user.is_authenticated)
        if self.is_guest:
            self.fields["guest_name"].required = True
            self.fields["guest_email"].required = True
        else:
            del self.fields["guest_name"]
            del self.fields["guest_email"]
        choices = [(m.organisation_id, m.organisation.name) for m in memberships]
        if len(choices) > 1:
            self.fields["organisation"].choices = choices
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]

    def clean_body(self):
        return _no_nul(self.cleaned_data["body"])

    def clean_guest_name(self):
        return _no_nul(self.cleaned_data.get("guest_name", ""))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Your message could not be accepted."))
        return ""


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_LENGTH)

    field_order = ["title", "organisation", "body"]

    def clean_title(self):
        return _no_nul(self.cleaned_data["title"])


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKUP_HELP,
    )

    def clean_body(self):
        return _no_nul(self.cleaned_data["body"])


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("Why do you report this message?"), max_length=500)

    def clean_reason(self):
        return _no_nul(self.cleaned_data["reason"])


class DecisionForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("spam", _("Mark as spam")),
        ("claim", _("Claim")),
        ("release", _("Release")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason given to the author"), max_length=2000, required=False
    )
    body = forms.CharField(
        label=_("Message (you may correct it before approving)"),
        max_length=MAX_BODY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        data = super().clean()
        if "\x00" in (data.get("reason") or "") + (data.get("body") or ""):
            raise forms.ValidationError(_("This text contains a forbidden character."))
        if data.get("action") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Give the author a reason."))
        return data


class BulkForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("spam", _("Mark as spam")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    posts = forms.TypedMultipleChoiceField(label=_("Messages"), coerce=int)
    reason = forms.CharField(
        label=_("Reason given to the authors"), max_length=2000, required=False
    )

    def __init__(self, *args, post_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = [(pk, pk) for pk in post_ids]

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Give the authors a reason."))
        return data


class ThreadModerationForm(forms.Form):
    ACTIONS = [
        ("close", _("Close")),
        ("reopen", _("Reopen")),
        ("pin", _("Pin")),
        ("unpin", _("Unpin")),
        ("move", _("Move")),
        ("mode", _("Change the moderation mode")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    forum = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=Forum.objects.filter(kind=Forum.Kind.FORUM),
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("Moderation"), choices=[("", "—"), *Mode.choices], required=False
    )


class SuspensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (told to the person)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    until = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError(_("The end date must be in the future."))
        return until


class DelegationForm(forms.Form):
    moderators = forms.ModelMultipleChoiceField(
        label=_("People who moderate this forum"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderators"].queryset = people
