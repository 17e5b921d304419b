from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from .services import MAX_TAG_LENGTH, MAX_TAGS, BodyPart, Submission

IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# Control characters (NUL included) have no place in a title or a text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(value: str) -> str:
    if _CONTROL.search(value or ""):
        raise ValidationError(_("This text contains characters that are not allowed."))
    return value


class SubmissionForm(forms.Form):
    """A member proposes a news item: plain text, blank lines make paragraphs."""

    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences, shown in lists and feeds."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text: leave a blank line between paragraphs."),
    )
    structure = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Your structure signs the news item; its référents approve it."),
    )
    cosigners = forms.ModelMultipleChoiceField(
        label=_("Other co-signing structures"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each one's référents approve the news item in turn."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separated by commas, 10 at most (e.g. réemploi, emploi)."),
    )
    image = forms.ImageField(
        label=_("Main image"),
        required=False,
        help_text=_("PNG, JPEG or WebP image, 5 MB at most."),
    )
    image_alt = forms.CharField(
        label=_("Description of the image"),
        required=False,
        max_length=255,
        help_text=_("For people who cannot see it (required with an image)."),
    )

    def __init__(self, *args, structures: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        mine = [o.pk for o in structures]
        self.fields["structure"].queryset = Organisation.objects.filter(pk__in=mine)
        self.fields["cosigners"].queryset = Organisation.objects.filter(
            status=Organisation.Status.MEMBER
        ).order_by("name")

    def clean_title(self):
        return _no_control_characters(self.cleaned_data["title"]).strip()

    def clean_introduction(self):
        return _no_control_characters(self.cleaned_data["introduction"]).strip()

    def clean_body(self):
        return _no_control_characters(self.cleaned_data["body"]).strip()

    def clean_tags(self) -> list[str]:
        raw = _no_control_characters(self.cleaned_data["tags"])
        names = list(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))
        if len(names) > MAX_TAGS:
            raise ValidationError(_("Ten tags at most."))
        if any(len(name) > MAX_TAG_LENGTH for name in names):
            raise ValidationError(_("A tag has 50 characters at most."))
        return names

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        image = getattr(upload, "image", None)
        if image is None:
            return upload
        if upload.size > IMAGE_MAX_BYTES:
            raise ValidationError(_("The image must not exceed 5 MB."))
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(_("The image must be a PNG, JPEG or WebP image."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error(
                "image_alt", _("Describe the image for those who cannot see it.")
            )
        return data

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            title=data["title"],
            introduction=data["introduction"],
            body=data["body"],
            structure=data["structure"],
            cosigners=list(data["cosigners"]),
            tags=data["tags"],
            image=data.get("image") or None,
            image_alt=(data.get("image_alt") or "").strip(),
        )


class CorrectionForm(SubmissionForm):
    """The author corrects a proposal: the body's text blocks are edited in place
    (BodyBlocksForm), and this form's text field only adds paragraphs at the end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.required = False
        body.label = _("Paragraphs to add at the end")
        body.help_text = _("Plain text: leave a blank line between paragraphs.")


class BodyBlocksForm(forms.Form):
    """The text blocks of the body of a news item under correction, one field each.

    Images, quotes, documents, pages and formatted paragraphs are not fields: they
    are shown as they are and kept (news.services.corrected_body).
    """

    prefix = "corps"

    def __init__(self, *args, parts: list[BodyPart], **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        paragraphs = headings = 0
        for part in parts:
            if not part.editable:
                continue
            if part.block.block_type == "heading":
                headings += 1
                field = forms.CharField(
                    label=_("Heading %(number)s") % {"number": headings},
                    max_length=200,
                    required=False,
                    help_text=_("Leave it empty to remove it."),
                )
            else:
                paragraphs += 1
                field = forms.CharField(
                    label=_("Paragraph %(number)s") % {"number": paragraphs},
                    max_length=20_000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=_(
                        "Leave it empty to remove it; a blank line splits it in two."
                    ),
                )
            field.initial = part.text
            field.validators.append(_no_control_characters)
            self.fields[part.block_id] = field

    def rows(self) -> list[tuple[BodyPart, forms.BoundField | None]]:
        """The blocks in order, each with its field when it is editable."""
        return [
            (part, self[part.block_id] if part.block_id in self.fields else None)
            for part in self.parts
        ]

    def edits(self) -> dict[str, str]:
        """The blocks' new texts; a block whose field was not sent is left alone."""
        return {
            name: (value or "").strip()
            for name, value in self.cleaned_data.items()
            if self.add_prefix(name) in self.data
        }


class CosignDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Co-sign")), ("reject", _("Request changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to request changes: the author reads it."),
    )

    def clean_comment(self):
        return _no_control_characters(self.cleaned_data["comment"]).strip()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("comment"):
            self.add_error("comment", _("Say what should be changed."))
        return data
