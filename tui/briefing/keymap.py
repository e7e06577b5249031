"""``keymap.toml``: the user's keys for the reader's binding ids (the keymap contract).

    [keys]
    "pane.highlight" = "H"
    "app.quit" = "q,ctrl+q"

Two steps, so the first frame waits for neither pydantic nor the list of every binding id
(collecting it imports every module of the UI):

- ``quick_keymap`` (before the first frame): the entries whose keys are key names, without
  pydantic. An id the reader does not declare is harmless here (Textual maps no binding to it).
- ``load_keymap`` (on a thread after the first frame, and for tests): the file checked by the
  ``Keymap`` pydantic model against the declared ids, each problem located
  (``PATH:LINE: "id" ...``) and the entry left out; the rest is used.

Both read the file with ``briefing.paths.read_config_text`` (regular files only, at most
256 KB, UTF-8) and take keys by the same rule (``key_names``): a value that is not a list of
key names as Textual spells them (no escape sequence, no control character) is refused.
Reports are plain text, sanitised. Nothing here imports textual.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection

from briefing.paths import keymap_path, line_of, read_config_text

if TYPE_CHECKING:
    from pydantic import BaseModel

KEYS_TABLE = "keys"
KEY_NAMES_HELP = "not key names (like q, ctrl+q, f1, question_mark)"
UNKNOWN_ID = "unknown binding id"

# One key as Textual names it: modifiers, then a key name (lowercase, digits, '_') or one
# printable character. Anything else (escape sequences, C1 controls) is refused.
_KEY_RE = re.compile(r"(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?P<key>[a-z][a-z0-9_]*|.)")


def _is_key_name(text: str) -> bool:
    from briefing.core.sanitize import is_unsafe_char

    m = _KEY_RE.fullmatch(text)
    if m is None:
        return False
    key = m.group("key")
    return len(key) > 1 or (key.isprintable() and not key.isspace() and key != "," and not is_unsafe_char(key))


def key_names(value: str) -> str:
    """One binding's keys as Textual takes them ("q, ctrl+q" -> "q,ctrl+q"); ValueError when
    one of them is not a key name."""
    names = [k.strip() for k in value.split(",")]
    if not all(_is_key_name(k) for k in names):
        raise ValueError(KEY_NAMES_HELP)
    return ",".join(names)


def _table(path: Path) -> tuple[dict | None, str | None, str]:
    """The file's data (None: no file, or unreadable), a problem, and its text."""
    raw, problem = read_config_text(path)
    if raw is None:
        return None, f"keymap {problem}" if problem else None, ""
    import tomllib  # only when there is a keymap: start-up pays nothing otherwise

    try:
        return tomllib.loads(raw), None, raw
    except tomllib.TOMLDecodeError as exc:
        return None, f"keymap {path} ignored: {exc}", raw


def quick_keymap(path: Path | None = None) -> dict[str, str]:
    """For the first frame: binding id -> keys, the entries whose keys are key names (the
    file's problems are found and told by ``load_keymap`` after the first frame)."""
    data, _, _ = _table(path or keymap_path())
    keys = (data or {}).get(KEYS_TABLE, {})
    if not isinstance(keys, dict):
        return {}
    out = {}
    for bid, value in keys.items():
        if isinstance(value, str):
            try:
                out[bid] = key_names(value)
            except ValueError:
                continue
    return out


_MODEL: Any = None


def keymap_model() -> type[BaseModel]:
    """The ``Keymap`` pydantic model, built on first use (pydantic costs ~0.1 s to import).
    Validate with ``context={"known_ids": ids}`` to refuse ids the reader does not declare."""
    global _MODEL
    if _MODEL is None:
        from typing import Annotated

        from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

        def known(bid: str, info: ValidationInfo) -> str:
            ids = (info.context or {}).get("known_ids")
            if ids is not None and bid not in ids:
                raise ValueError(UNKNOWN_ID)
            return bid

        BindingId = Annotated[str, AfterValidator(known)]
        Keys = Annotated[str, AfterValidator(key_names)]

        class Keymap(BaseModel):
            """keymap.toml: a [keys] table of "binding.id" = "key,key" (other tables are left alone)."""

            model_config = ConfigDict(extra="ignore", strict=True, frozen=True)

            keys: dict[BindingId, Keys] = Field(default_factory=dict)

        _MODEL = Keymap
    return _MODEL


def load_keymap(path: Path | None = None, known_ids: Collection[str] | None = None
                ) -> tuple[dict[str, str], str | None]:
    """Binding id -> keys from the keymap file, and a problem to show (or None).

    Checked by the ``Keymap`` model: an entry whose value is not a list of key names, or whose
    id is not in ``known_ids`` (when given), is left out and reported with its line; the rest
    is used. A file that cannot be read or is not a [keys] table is ignored and reported."""
    from pydantic import ValidationError

    from briefing.core.sanitize import terminal_line

    path = path or keymap_path()
    data, problem, raw = _table(path)
    if data is None:
        return {}, terminal_line(problem) if problem else None
    model, context = keymap_model(), {"known_ids": known_ids}
    try:
        return dict(model.model_validate(data, context=context).keys), None
    except ValidationError as exc:
        errors = exc.errors()
    bad: dict[str, str] = {}  # id -> why
    for error in errors:
        loc = error["loc"]
        if len(loc) < 2:  # the table itself is wrong
            return {}, terminal_line(f'keymap {path} ignored: expected a [keys] table of "binding.id" = "key,key"')
        bid = str(loc[1])
        if len(loc) > 2 and loc[2] == "[key]":
            bad[bid] = UNKNOWN_ID
        elif bid not in bad:
            bad.setdefault(bid, KEY_NAMES_HELP if error["type"] == "value_error" else str(error["msg"]))
    keys = {k: v for k, v in data[KEYS_TABLE].items() if k not in bad}
    good = dict(model.model_validate({KEYS_TABLE: keys}, context=context).keys)
    return good, terminal_line(f"keymap {path}: " + "; ".join(_located(bad, raw)) + " (left out)")


def _located(bad: dict[str, str], raw: str, most: int = 5) -> list[str]:
    """The problems by kind: 'not key names ... for 'a' (line 2), 'b' (line 3)'."""
    out = []
    for why, title in ((KEY_NAMES_HELP, KEY_NAMES_HELP + " for"), (UNKNOWN_ID, UNKNOWN_ID + "s")):
        ids = [bid for bid, w in bad.items() if w == why]
        if ids:
            out.append(f"{title} {_listed(ids, raw, most)}")
    for bid, why in bad.items():
        if why not in (KEY_NAMES_HELP, UNKNOWN_ID):
            out.append(f"{_listed([bid], raw, most)}: {why}")
    return out


def _listed(ids: list[str], raw: str, most: int) -> str:
    def one(bid: str) -> str:
        line = line_of(raw, bid, KEYS_TABLE)
        return repr(bid) + (f" (line {line})" if line else "")

    more = f" and {len(ids) - most} more" if len(ids) > most else ""
    return ", ".join(one(b) for b in ids[:most]) + more
