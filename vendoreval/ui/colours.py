"""Colours that stay readable in light and dark palettes: text for a fixed background, ink for the palette's."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

DARK_TEXT = QColor("#1b1b1b")
LIGHT_TEXT = QColor("#f2f2f2")
#: WCAG 2 minimums: 4.5:1 for normal text, 3:1 for graphics (bars, lines) and large text.
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0


def luminance(colour: QColor) -> float:
    """WCAG relative luminance of a colour, 0 (black) to 1 (white)."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: QColor) -> QColor:
    """Near-black or near-white, whichever reads better on ``background`` (cells with a fixed colour)."""
    return DARK_TEXT if contrast(DARK_TEXT, background) >= contrast(LIGHT_TEXT, background) else LIGHT_TEXT


def is_dark(background: QColor) -> bool:
    """Whether a background is dark (light text reads better on it)."""
    return text_on(background) == LIGHT_TEXT


def readable_on(colour: QColor, background: QColor, minimum: float = GRAPHIC_CONTRAST) -> QColor:
    """``colour`` if it stands out from ``background``, else the same hue lightened (or darkened) until it does."""
    # a colour that carries meaning (red = knocked out) keeps its hue in both palettes
    if contrast(colour, background) >= minimum:
        return QColor(colour)
    h = max(colour.hslHueF(), 0.0)  # achromatic colours report hue -1
    s, lightness, a = colour.hslSaturationF(), colour.lightnessF(), colour.alphaF()
    step = 0.02 if is_dark(background) else -0.02
    candidate = QColor(colour)
    while 0.0 <= lightness <= 1.0:
        lightness += step
        candidate = QColor.fromHslF(h, s, min(max(lightness, 0.0), 1.0), a)
        if contrast(candidate, background) >= minimum:
            return candidate
    return text_on(background)


def mix(a: QColor, b: QColor, share_a: float) -> QColor:
    """``share_a`` of colour ``a`` blended with the rest of ``b``."""
    t = 1 - share_a
    return QColor.fromRgbF(share_a * a.redF() + t * b.redF(), share_a * a.greenF() + t * b.greenF(),
                           share_a * a.blueF() + t * b.blueF())


def mute(label: QWidget) -> None:
    """Show a hint label's text softer than normal text but readable in light and dark palettes."""
    palette = label.palette()
    role = QPalette.ColorRole
    palette.setColor(role.WindowText, mix(palette.color(role.WindowText), palette.color(role.Window), 0.7))
    label.setPalette(palette)
