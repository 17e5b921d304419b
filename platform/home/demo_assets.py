"""The demo PTCE's logo, pictures and charter, drawn at load time (no binary in git).

Pillow (a Wagtail dependency) draws flat illustrations in the site's colours; the
charter is a small hand-written PDF (text only, Helvetica, Windows-1252 text).
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

GREEN = "#0b5d4b"
DARK = "#073f33"
SAND = "#f3e3c3"
SKY = "#dcefe9"
ORANGE = "#e08a3c"
WATER = "#5fa8c9"


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def logo_png(size: int = 256) -> bytes:
    """Three interlaced rings (cooperation) on a rounded green square."""
    scale = 4
    s = size * scale
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, s - 1, s - 1], radius=s // 5, fill=GREEN)
    k, width = s / 32, int(s / 32 * 2.4)
    for (cx, cy), colour in zip(
        ((12, 13), (20, 13), (16, 20)), ("white", SAND, "#ffd089"), strict=True
    ):
        box = [(cx - 6) * k, (cy - 6) * k, (cx + 6) * k, (cy + 6) * k]
        draw.ellipse(box, outline=colour, width=width)
    return _png(image.resize((size, size), Image.LANCZOS))


def _landscape(width: int, height: int, *, sun: bool) -> Image.Image:
    image = Image.new("RGB", (width, height), SKY)
    draw = ImageDraw.Draw(image)
    if sun:
        r = height // 7
        draw.ellipse(
            [width * 0.74 - r, height * 0.22 - r, width * 0.74 + r, height * 0.22 + r],
            fill="#ffd089",
        )
    draw.polygon(
        [
            (0, height * 0.62),
            (width * 0.3, height * 0.38),
            (width * 0.62, height * 0.6),
            (width, height * 0.44),
            (width, height),
            (0, height),
        ],
        fill="#9cc9a8",
    )
    draw.polygon(
        [
            (0, height * 0.72),
            (width * 0.45, height * 0.55),
            (width, height * 0.7),
            (width, height),
            (0, height),
        ],
        fill="#6fae84",
    )
    # The river ("Rives") crossing the territory.
    draw.polygon(
        [
            (width * 0.38, height),
            (width * 0.5, height * 0.74),
            (width * 0.62, height * 0.66),
            (width * 0.58, height * 0.74),
            (width * 0.6, height),
        ],
        fill=WATER,
    )
    return image


def hero_png() -> bytes:
    """The territory: hills, a river and the pole's buildings around a shared yard."""
    width, height = 1280, 720
    image = _landscape(width, height, sun=True)
    draw = ImageDraw.Draw(image)
    for x, w, h, colour in (
        (120, 150, 170, SAND),
        (300, 120, 130, "#f7d9b0"),
        (820, 170, 190, SAND),
        (1020, 130, 140, "#f7d9b0"),
    ):
        base = height * 0.8
        draw.rectangle([x, base - h, x + w, base], fill=colour, outline=DARK, width=4)
        draw.polygon(
            [(x - 12, base - h), (x + w / 2, base - h - 70), (x + w + 12, base - h)],
            fill=ORANGE,
            outline=DARK,
        )
        for wx in range(x + 20, x + w - 30, 45):
            draw.rectangle(
                [wx, base - h + 30, wx + 25, base - h + 60],
                fill=WATER,
                outline=DARK,
                width=3,
            )
    for n, colour in enumerate((GREEN, ORANGE, DARK, WATER, GREEN)):
        cx = 520 + n * 55
        draw.ellipse([cx - 16, 520, cx + 16, 552], fill=colour)
        draw.rounded_rectangle([cx - 20, 556, cx + 20, 620], radius=14, fill=colour)
    return _png(image)


def meeting_png() -> bytes:
    """Members around one table: the assembly of the pole."""
    width, height = 960, 540
    image = Image.new("RGB", (width, height), "#f4f6f5")
    draw = ImageDraw.Draw(image)
    draw.ellipse([230, 190, 730, 390], fill=SAND, outline=DARK, width=5)
    colours = (GREEN, ORANGE, WATER, DARK, "#9cc9a8", ORANGE, GREEN, WATER)
    seats = (
        (480, 130),
        (650, 160),
        (770, 290),
        (650, 430),
        (480, 455),
        (310, 430),
        (190, 290),
        (310, 160),
    )
    for (x, y), colour in zip(seats, colours, strict=True):
        draw.ellipse(
            [x - 30, y - 30, x + 30, y + 30], fill=colour, outline=DARK, width=3
        )
    for x, y in ((400, 260), (520, 300), (590, 250)):
        draw.rectangle([x, y, x + 60, y + 40], fill="white", outline=DARK, width=3)
    return _png(image)


def workshop_png() -> bytes:
    """The shared workshop: tools on a wall, a bicycle being repaired."""
    width, height = 960, 540
    image = Image.new("RGB", (width, height), "#fbf6ec")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 400, width, height], fill="#d9c4a0")
    draw.rectangle([80, 80, 880, 300], fill="#eadcc2", outline=DARK, width=4)
    for x in range(130, 860, 90):
        draw.line([x, 110, x, 230], fill=DARK, width=8)
        draw.ellipse([x - 18, 220, x + 18, 256], outline=DARK, width=6)
    for cx in (360, 600):
        draw.ellipse([cx - 90, 330, cx + 90, 510], outline=DARK, width=12)
        draw.ellipse([cx - 10, 410, cx + 10, 430], fill=DARK)
    draw.line([360, 420, 480, 340, 600, 420, 450, 420, 360, 420], fill=GREEN, width=12)
    draw.line([480, 340, 470, 300, 520, 300], fill=GREEN, width=10)
    return _png(image)


CHARTER_LINES = (
    ("title", "Charte du PTCE Rives Solidaires"),
    ("text", "Adoptée par l’assemblée des membres le 14 mars 2024."),
    ("head", "1. Coopérer plutôt que concurrencer"),
    ("text", "Les structures membres partagent leurs locaux, leurs équipements et des"),
    ("text", "temps de travail, et répondent ensemble aux besoins du territoire."),
    ("head", "2. Une voix par structure"),
    ("text", "Chaque structure membre dispose d’une voix à l’assemblée des membres,"),
    ("text", "quelle que soit sa taille ou sa forme juridique."),
    ("head", "3. Un ancrage local"),
    (
        "text",
        "Le pôle agit pour l’emploi et la transition à Villeurbanne et Vaulx-en-Velin.",
    ),
    ("head", "4. La transparence"),
    (
        "text",
        "Les mutualisations sont facturées au coût réel, sans marge, et chaque membre",
    ),
    ("text", "peut consulter les comptes du pôle."),
    ("head", "5. L’ouverture"),
    (
        "text",
        "Toute structure du territoire qui partage cette charte peut adhérer.",
    ),
)


def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"


def charter_pdf() -> bytes:
    """A one-page PDF 1.4 with the charter, in Helvetica (WinAnsiEncoding)."""
    sizes = {"title": 20, "head": 13, "text": 11}
    gaps = {"title": 34, "head": 26, "text": 16}
    stream = [b"BT"]
    y = 780
    for style, text in CHARTER_LINES:
        font = b"/F2" if style in ("title", "head") else b"/F1"
        stream.append(
            b"%s %d Tf 1 0 0 1 56 %d Tm (%s) Tj"
            % (font, sizes[style], y, _pdf_text(text))
        )
        y -= gaps[style]
    stream.append(b"ET")
    content = b"\n".join(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        _FONT % b"Helvetica",
        _FONT % b"Helvetica-Bold",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()
