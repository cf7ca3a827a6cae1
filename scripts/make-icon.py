"""Draws media/icon.png, the extension's 128×128 marketplace icon: the activity-bar glyph (media/mas-studio.svg:
three agents and their edges) in white on a blue rounded square, with one node in the credit scale's blue.

Run once after changing the design: trainer/.venv/bin/python scripts/make-icon.py (Pillow is a transformers
dependency of the trainer's venv). Drawn at 4× and downsampled for smooth edges.
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE, SCALE = 128, 4
S = SIZE * SCALE


def main() -> None:
    image = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (0, 0, S - 1, S - 1), radius=26 * SCALE, fill=(30, 58, 95, 255)
    )
    # The SVG's 24-unit grid mapped onto the square with a margin.
    unit = S / 30
    at = lambda x, y: (unit * (x + 3), unit * (y + 3))
    white, blue = (240, 244, 248, 255), (49, 130, 206, 255)
    width = round(1.8 * unit)
    for a, b in (((6, 6), (18, 6)), ((6, 6), (12, 18)), ((18, 6), (12, 18))):
        draw.line((*at(*a), *at(*b)), fill=white, width=width)
    for (x, y), colour in (((6, 6), white), ((18, 6), white), ((12, 18), blue)):
        cx, cy = at(x, y)
        r = 3.2 * unit
        draw.ellipse(
            (cx - r, cy - r, cx + r, cy + r),
            fill=colour,
            outline=white,
            width=round(1.2 * unit),
        )
    out = Path(__file__).resolve().parent.parent / "media" / "icon.png"
    image.resize((SIZE, SIZE), Image.LANCZOS).save(out, optimize=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
