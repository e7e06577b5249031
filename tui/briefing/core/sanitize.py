"""Neutralise characters that could act on the terminal or deceive the reader.

Done once, at load, on the whole text (and on every string from the front matter), so
nothing downstream has to remember. Every replacement is one character for one
character: offsets and columns stay those of the file.

- C0 controls (except newline and tab) become their Control Pictures (ESC -> U+241B),
  DEL becomes U+2421: an escape sequence shows as ``␛]0;title␇`` and does nothing.
- C1 controls (U+0080-U+009F, which include the 8-bit CSI and OSC) and the bidi
  overrides, isolates, marks and zero-width characters behind Trojan Source
  (CVE-2021-42574) become U+FFFD, shown as a visible placeholder.
- So do lone surrogates (possible only in text handed over as ``str``: they cannot be
  written out as UTF-8) and the noncharacters U+FFFE and U+FFFF.
"""

from __future__ import annotations

import re

PLACEHOLDER = "\ufffd"

# Bidirectional formatting characters and invisible characters that reorder or hide text.
BIDI_CHARS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u2028\u2029"

_TABLE: dict[int, str] = {}
for _code in range(0x20):
    if _code not in (0x09, 0x0A):
        _TABLE[_code] = chr(0x2400 + _code)
_TABLE[0x7F] = "\u2421"
for _code in range(0x80, 0xA0):
    _TABLE[_code] = PLACEHOLDER
for _ch in BIDI_CHARS + INVISIBLE_CHARS + "\ufffe\uffff":
    _TABLE[ord(_ch)] = PLACEHOLDER
for _code in range(0xD800, 0xE000):
    _TABLE[_code] = PLACEHOLDER

_UNSAFE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE if not 0xD800 <= c < 0xE000) + "\ud800-\udfff]")
_DECEPTIVE_RE = re.compile("[" + BIDI_CHARS + INVISIBLE_CHARS + "]")
# What a sanitised text may still show as a placeholder (for styling them in the UI).
PLACEHOLDER_RE = re.compile("[\u2400-\u241f\u2421\ufffd]")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, before any offset is computed."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def is_safe(text: str) -> bool:
    """Whether ``text`` holds nothing that ``sanitise`` replaces. (str.isprintable() refuses
    every such character, and newlines, tabs and a few harmless ones such as no-break
    spaces: only then does the slower regex look, ~3x slower on a brief's text.)"""
    plain = text.replace("\n", "")
    if "\t" in plain:
        plain = plain.replace("\t", "")
    return plain.isprintable() or _UNSAFE_RE.search(text) is None


def sanitise(text: str) -> str:
    """Replace every control, bidi and zero-width character with a visible placeholder."""
    if is_safe(text):
        return text
    return text.translate(_TABLE)


def sanitise_line(text: str) -> str:
    """For one-line labels: newlines and tabs become spaces as well."""
    return sanitise(text).replace("\n", " ").replace("\t", " ")


def find_deceptive(text: str) -> list[tuple[int, str]]:
    """Offsets and names of bidi and zero-width characters (reported as warnings)."""
    return [(m.start(), f"U+{ord(m.group()):04X}") for m in _DECEPTIVE_RE.finditer(text)]


def find_controls(text: str) -> list[tuple[int, str]]:
    """Offsets and names of control characters other than newline and tab."""
    return [
        (m.start(), f"U+{ord(m.group()):04X}")
        for m in _UNSAFE_RE.finditer(text)
        if _DECEPTIVE_RE.match(m.group()) is None
    ]


def sanitise_data(value: object) -> object:
    """Sanitise every string inside parsed YAML (lists, dicts, scalars)."""
    if isinstance(value, str):
        return sanitise(value)
    if isinstance(value, list):
        return [sanitise_data(v) for v in value]
    if isinstance(value, dict):
        return {sanitise_data(k): sanitise_data(v) for k, v in value.items()}
    return value


def terminal_line(text: str) -> str:
    """Any text (a file name, a message) as one line that is safe to print on a terminal.

    Bytes of a file name that were not UTF-8 (lone surrogates from ``os.fsdecode``) show as
    ``\\xNN``; line feed and tab as their Control Pictures; every other control, bidi or
    invisible character as in ``sanitise``. Meant for output only: the result no longer
    names the file.
    """
    if _SURROGATE_RE.search(text):
        text = _SURROGATE_RE.sub(_escape_surrogate, text)
    if "\n" in text or "\t" in text:
        text = text.replace("\n", "\u240a").replace("\t", "\u2409")
    return sanitise(text)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else PLACEHOLDER


# What JSON allows raw inside a string but a terminal may act on (DEL, C1 controls such as
# the 8-bit CSI) or that hides or reorders text, and lone surrogates (not UTF-8).
_JSON_UNSAFE_RE = re.compile("[\x7f-\x9f" + BIDI_CHARS + INVISIBLE_CHARS + "\ufffe\uffff\ud800-\udfff]")


def json_inert(json_text: str) -> str:
    """JSON text with those characters written as ``\\uXXXX`` escapes: the same value for
    any JSON reader, and nothing in it can act on a terminal it is printed on."""
    if _JSON_UNSAFE_RE.search(json_text) is None:
        return json_text
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
