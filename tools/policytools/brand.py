"""The company behind the site: its name and colour (``extra.company`` in ``mkdocs.yml``).

The colour becomes Material's primary colour. Text on it and links in it must stay readable
(WCAG AA, 4.5:1): the header's text is white, or black where white is too faint on a light
colour, and links use the colour darkened until they read on the page and its notices. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import MKDOCS_FILE
from .errors import ConfigError

KEY = "extra.company"
EXAMPLE = '"#005a8c"'
AA = 4.5  # WCAG 2 AA contrast for body text
WHITE, BLACK = (255, 255, 255), (0, 0, 0)
# The darkest light background links sit on: our notices (#f5f5f5) and Material's tinted
# hover and search backgrounds are lighter.
LIGHT_BACKGROUND = (232, 232, 232)
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
RGB = tuple[int, int, int]
LineOf = Callable[..., "int | None"]  # the line of a key path of mkdocs.yml


@dataclass(frozen=True)
class Brand:
    """The company's name, its initials for the header and its colours."""

    name: str
    colour: RGB | None = None

    @property
    def initials(self) -> str:
        """The header's monogram: the first letter of the name's first two words."""
        words = [w for w in re.split(r"[\s\-]+", self.name) if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper()

    def css(self) -> str:
        """Material's colour variables for the company's colour ('' without one)."""
        if self.colour is None:
            return ""
        on = on_colour(self.colour)
        link = readable_on(self.colour, LIGHT_BACKGROUND)
        values = {
            "--md-primary-fg-color": hex_of(self.colour),
            "--md-primary-fg-color--light": hex_of(mix(self.colour, WHITE, 0.2)),
            "--md-primary-fg-color--dark": hex_of(mix(self.colour, BLACK, 0.2)),
            "--md-primary-bg-color": hex_of(on),
            "--md-primary-bg-color--light": hex_of(on) + "b3",
            "--md-accent-fg-color": hex_of(link),
            "--md-accent-fg-color--transparent": hex_of(link) + "1a",
            "--md-typeset-a-color": hex_of(link),
        }
        return ":root,[data-md-color-primary]{" + \
            "".join(f"{name}:{value};" for name, value in values.items()) + "}"


def read_brand(value: Any, line: LineOf) -> Brand | None:
    """``extra.company`` of mkdocs.yml, validated; ``line(*keys)`` finds a key's line."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _error(f"{KEY} must be a mapping: name: <the company's name> and colour: "
                     f"<a hex value such as {EXAMPLE}>", line("extra", "company"))
    unknown = sorted(str(key) for key in value if key not in ("name", "colour"))
    if unknown:
        raise _error(f"{KEY} has an unknown key '{unknown[0]}': its keys are name and colour",
                     line("extra", "company", unknown[0]))
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _error(f"{KEY}.name must be the company's name as text",
                     line("extra", "company", "name"))
    return Brand(" ".join(name.split()), _colour(value, line))


def _colour(value: dict[str, Any], line: LineOf) -> RGB | None:
    if "colour" not in value:
        return None
    colour = value["colour"]
    at = line("extra", "company", "colour")
    if colour is None:
        raise _error(f"{KEY}.colour is empty: quote the hex value, colour: {EXAMPLE} (YAML "
                     "reads an unquoted # as the start of a comment)", at)
    if not isinstance(colour, str) or not _HEX.fullmatch(colour):
        raise _error(f"{KEY}.colour '{colour}' is not a colour: write a hex value such as "
                     f"{EXAMPLE}", at)
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _error(message: str, line: int | None) -> ConfigError:
    return ConfigError(message, MKDOCS_FILE, line)


def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def on_colour(colour: RGB) -> RGB:
    """The text colour for a background: white when it reads at AA, else black (which then
    always does: no colour falls short of 4.5:1 with both)."""
    return WHITE if contrast(WHITE, colour) >= AA else BLACK


def readable_on(colour: RGB, background: RGB) -> RGB:
    """``colour``, darkened in steps of 5 % just enough to read on ``background`` at AA."""
    step = 0
    found = colour
    while contrast(found, background) < AA:
        step += 1
        found = mix(colour, BLACK, step / 20)
    return found


def mix(a: RGB, b: RGB, share: float) -> RGB:
    """``a`` with ``share`` (0 to 1) of ``b`` mixed in, channel by channel."""
    r, g, bl = (round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
    return r, g, bl


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)
