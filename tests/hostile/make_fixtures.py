"""Hostile briefs: the small ones are committed in ``tests/hostile/briefs/``, the big and the
odd ones (huge, deeply nested, strange file names, symlinks) are made in a temporary folder
at test time by the functions below.

    python tests/hostile/make_fixtures.py            # rewrite the committed fixtures
    python tests/hostile/make_fixtures.py --check    # exit 1 if they differ from this script

Every fixture is described in ``SMALL`` (name -> bytes) and ``EXPECT`` (name -> what the
parser must do with it: ``"ok"``, or an error message fragment). Terminal payloads carry the
marker ``PWNED`` so a test can look for it in the raw terminal output.
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BRIEFS = HERE / "briefs"

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
OSC_TITLE = f"{ESC}]0;PWNED-TITLE{BEL}"
OSC_CLIP = f"{ESC}]52;c;{base64.b64encode(b'PWNED-CLIP').decode()}{BEL}"
OSC_LINK = f"{ESC}]8;;https://evil.example/PWNED-LINK{ST}click{ESC}]8;;{ST}"
CSI_CLEAR = f"{ESC}[2J{ESC}[H"
C1_CSI = "\u009b2J"
C1_OSC = "\u009d0;PWNED-C1\u009c"
# Every raw sequence above, as the terminal would receive them if nothing stopped them.
RAW_PAYLOADS = (OSC_TITLE, OSC_CLIP, OSC_LINK, CSI_CLEAR, C1_CSI, C1_OSC)
# Their visible forms once sanitised (ESC -> U+241B, BEL -> U+2407, C1 -> U+FFFD).
VISIBLE_TITLE = "\u241b]0;PWNED-TITLE\u2407"

MARKUP_TITLE = "[bold red]Markup[/] [link=https://evil.example/PWNED-MARKUP]title[/link] [@click=app.quit]quit[/] [/="


def _b(text: str) -> bytes:
    return text.encode("utf-8")


SMALL: dict[str, bytes] = {}
EXPECT: dict[str, str] = {}


def _add(name: str, data: bytes | str, expect: str) -> None:
    SMALL[name] = data if isinstance(data, bytes) else _b(data)
    EXPECT[name] = expect


# -- Rich/Textual markup everywhere: shown literally, never styling, linking or acting.
_add("markup.md", f'''---
title: "{MARKUP_TITLE}"
published: 2024-01-02
source: "[reverse]source[/reverse] [/]"
tags: ["[b]tag[/b]", "[@click=app.quit]"]
summary: "[blink]summary[/blink] [/= [on red]"
entities:
  evil:
    type: leader
    name: "[bold]Evil[/bold] [@click=app.quit]Leader[/]"
    role: "[link=https://evil.example/PWNED-MARKUP]role[/link]"
    country: "[/="
    aliases: ["[i]Ev[/i]"]
  reg: {{type: region, name: "[red]Red Sea[/red]", kind: "[/]"}}
---
# Heading [bold red]not bold[/] and [/] alone

Body [bold red]not bold[/] text, [@click=app.quit]click me[/], [link=https://evil.example/PWNED-MARKUP]a link[/link].
A code span `[/=` and an escaped \\[/= stay literal, and so does [on red]this[/on red].

[The [bold]leader[/bold]]{{.leader ref=evil}} spoke about [the sea]{{.region ref=reg}} with [an org]{{.org name="[@click=app.quit]Org[/]"}}.
''', "ok")

# The same markup where it makes the brief invalid: the errors are shown literally too.
_add("markup_error.md", f'''---
title: "{MARKUP_TITLE}"
---
An unclosed [/= markup tag and [@click=app.quit]{{.bad type}}.
''', "unclosed")

# -- Terminal escapes typed raw into the file: in YAML plain scalars and in the body.
_add("escapes_body.md", f'''---
title: Escapes {OSC_TITLE} in the title {C1_CSI}
source: plain {ESC}]2;PWNED-SOURCE{BEL} source
tags: [raw{BEL}bell, "{ESC}(0"]
---
Title change: {OSC_TITLE}. Clipboard: {OSC_CLIP}. Link: {OSC_LINK}.
8-bit controls: {C1_CSI} and {C1_OSC}; DEL \x7f, backspace \x08, bell \x07, form feed \x0c, vertical tab \x0b.

A code span keeps them literal: `{CSI_CLEAR}` and so does a fence:

```
{CSI_CLEAR}{ESC}[31mred{ESC}[0m {OSC_TITLE}
```

[A leader {C1_OSC}]{{.leader name="{ESC}]0;PWNED-ATTR{BEL}"}} was mentioned.
''', "ok")

# Raw CSI in running text: its '[' is an unclosed bracket, so the brief has errors.
_add("escapes_error.md", f'''---
title: "CSI {ESC}[2J in running text"
---
Clear screen {CSI_CLEAR} and red {ESC}[31mtext{ESC}[0m with {OSC_TITLE}.
''', "unclosed")

# -- Escapes written with YAML's own escapes, which only exist after YAML has read them.
_add("escapes_yaml.md", r'''---
title: "YAML \e]0;PWNED-TITLE\a title \x9b2J \u202e end"
source: "\e]52;c;UFdORUQtQ0xJUA==\a"
summary: "\e]8;;https://evil.example/PWNED-LINK\e\\click\e]8;;\e\\ NUL \0 DEL \x7f NEL \N LS \L PS \P"
tags: ["\e[31m", "\x1b[2J\x1b[H"]
entities:
  e1: {type: leader, name: "\e[5mBlink\e[0m", role: "\x07bell", country: "\u200bZW", aliases: ["\e]0;alias\a"]}
  d1: {type: date, name: "\e]0;date\a", value: "2024-05"}
---
[Blink]{.leader ref=e1} met on [a day]{.date ref=d1}.
''', "ok")

# An entity id (a YAML key) with escapes is invalid; the message shows it harmlessly.
_add("escapes_yaml_error.md", r'''---
title: "Bad key"
entities:
  "\e]0;PWNED-KEY\a": {type: leader, name: key}
---
Text.
''', "entity id")

# -- Trojan Source (CVE-2021-42574): bidi overrides and invisible characters.
_add("trojan.md", '''---
title: "Trojan \u202eevil\u202c source"
---
access_level = "user\u202e \u2066// Check if admin\u2069 \u2066" ;

zero\u200bwidth\u200d joiner, \u2060 word joiner, \u061c letter mark, \u200e\u200f marks and a BOM \ufeff inside.
''', "ok")

# -- HTML, script and dangerous links: inert in the reader, escaped in HTML exports.
_add("html_injection.md", r'''---
title: "<script>alert('PWNED')</script> & <b>bold</b>"
source: "\"><img src=x onerror=alert(1)>"
url: "https://example.org/\"><script>alert(1)</script>"
summary: "<style>body{display:none}</style>"
tags: ["<svg onload=alert(1)>", "a\"b"]
entities:
  x: {type: leader, name: "<iframe src=javascript:alert(1)>", role: "\" onmouseover=\"alert(1)"}
---
<script>alert("PWNED")</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">a</a>

[js link](javascript:alert(1)) [data link](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox)
[titled](https://example.org/ok "t\" onmouseover=\"x") <javascript:alert(1)> <https://example.org/auto>
[file](file:///etc/passwd) [rel](//evil.example/x) [spaces]( javascript:alert(1) )

[<b>x</b>]{.leader ref=x} [y]{.org name="\"><script>alert(1)</script>"} ![img](javascript:alert(1))
&lt;script&gt; &#x3C;script&#x3E; <!-- comment --> ]]> <![CDATA[x]]>
''', "ok")

# -- YAML that must be refused before it is built.
_add("yaml_tags.md", '''---
title: !!python/object/apply:os.system ["echo PWNED > /tmp/briefing-pwned"]
source: !custom value
summary: !!binary aGVsbG8=
---
Text.
''', "YAML tags")

_add("yaml_alias_bomb.md", '''---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
title: *h
---
Text.
''', "anchors and aliases")

_add("yaml_not_mapping.md", '''---
- title
- list
---
Text.
''', "must be a mapping")

# -- Broken files.
_add("empty.md", b"", "empty file")
_add("blank.md", b" \n\n\t\n   \n", "empty file")
_add("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256)), "binary file")
_add("latin1.md", "---\ntitle: Caf\u00e9 cr\u00e8me\n---\nD\u00e9j\u00e0 vu.\n".encode("latin-1"), "not UTF-8")
_add("overlong.md", b"---\ntitle: overlong\n---\nSlash \xc0\xaf and \xed\xa0\x80 surrogate.\n", "not UTF-8")
_add("utf16.md", "---\ntitle: UTF-16\n---\nText.\n".encode("utf-16"), "binary file")
_add("no_front_matter.md", "Just text, [bold]no[/] front matter.\n", "missing front matter")
_add("unclosed_front_matter.md", "---\ntitle: never closed\nText [bold]x[/].\n", "never closed")

# -- Line endings: the same brief with LF, CRLF, lone CR and a BOM; offsets must agree.
_LINES = [
    "---",
    'title: "Line endings"',
    "entities:",
    "  k: {type: leader, name: Fumio Kishida}",
    "---",
    "First [Fumio",
    "Kishida]{.leader ref=k} spoke \u200b here.",
    "",
    "> Quoted [Kishida]{.leader ref=k} again.",
    "",
]
_add("lf.md", "\n".join(_LINES), "ok")
_add("crlf.md", "\r\n".join(_LINES), "ok")
_add("cr.md", "\r".join(_LINES), "ok")
_add("bom_crlf.md", b"\xef\xbb\xbf" + _b("\r\n".join(_LINES)), "ok")
_add("crlf_error.md", "\r\n".join(_LINES[:5] + ["Text\r\nthen [unclosed span", ""]), "unclosed")


# ---------------------------------------------------------------------------- generated

MB = 1024 * 1024
HEAD = "---\ntitle: {title}\n---\n"


def deep_yaml_flow(depth: int = 100_000) -> bytes:
    return _b("---\ntitle: deep\nx: " + "[" * depth + "]" * depth + "\n---\nText.\n")


def deep_yaml_block(depth: int = 300) -> bytes:
    lines = ["---", "title: deep block"] + [" " * (2 * i) + f"k{i}:" for i in range(depth)] + ["---", "Text."]
    return _b("\n".join(lines) + "\n")


def deep_markdown(depth: int = 100_000) -> bytes:
    parts = [
        HEAD.format(title="deep markdown"),
        ">" * depth + " quoted\n\n",
        "- " * 2000 + "item\n\n",
        "*" * depth + "x" + "*" * depth + "\n\n",
        "`" * depth + "\n\n",
        "\\[" * (depth // 2) + "\n\n",
        "[" * 40 + "x" + "]" * 40 + "\n",
    ]
    return _b("".join(parts))


def many_spans(count: int = 100_000) -> bytes:
    body = " ".join(f"[w{i % 97}]{{.org}}" for i in range(count))
    return _b(HEAD.format(title="many spans") + body + "\n")


def long_line(size: int = MB) -> bytes:
    unit = "word [Kishida]{.leader} \u200b more "
    line = (unit * (size // len(unit) + 1))[:size]
    return _b(HEAD.format(title="one long line") + line.rsplit(" ", 1)[0] + "\n")


def late_nul(offset: int = 70_000) -> bytes:
    head = _b(HEAD.format(title="NUL after the binary check"))
    return head + b"a" * offset + b" \x00 " + b"tail\n"


def write_oversize(path: Path, size: int = 9 * MB) -> Path:
    """A file over the 8 MB limit, written sparsely (instant, no disk used)."""
    with open(path, "wb") as fh:
        fh.write(_b(HEAD.format(title="too big")))
        fh.truncate(size)
    return path


GENERATED = {
    "gen_deep_yaml_flow.md": (deep_yaml_flow, "nested more than"),
    "gen_deep_yaml_block.md": (deep_yaml_block, "nested more than"),
    "gen_deep_markdown.md": (deep_markdown, "ok"),
    "gen_many_spans.md": (many_spans, "ok"),
    "gen_long_line.md": (long_line, "ok"),
    "gen_late_nul.md": (late_nul, "ok"),
}

# File names a shared folder may hold: escapes, markup, the index's separators, not UTF-8.
# Those expected to fail have no title, so the reader shows their file name in the errors.
ODD_NAMES: dict[bytes, str] = {
    b"name-\x1b]0;PWNED-NAME\x07.md": "title",
    b"name-[bold]markup[@click=app.quit]x.md": "title",
    b"name-\x1e\x1f-separators.md": "title",
    b"name-\xc2\x9b2J-c1-\xe2\x80\xae-rlo.md": "title",
    b"name-not-utf8-\xe9\xff.md": "ok",
    b"name-line\nbreak.md": "ok",
}


def odd_name_brief(name: bytes) -> bytes:
    if ODD_NAMES[name] == "ok":
        return _b(HEAD.format(title='"A brief with an odd file name"') + "Its text is fine.\n")
    return _b("---\ntitle: \"\"\n---\nNo title: the reader names this brief by its file.\n")


def write_small(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in SMALL.items():
        p = folder / name
        p.write_bytes(data)
        out.append(p)
    return out


def write_generated(folder: Path, big: bool = True) -> list[Path]:
    """The generated fixtures (and the odd file names) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (make, _) in GENERATED.items():
        if not big and name in ("gen_long_line.md", "gen_many_spans.md"):
            continue
        p = folder / name
        p.write_bytes(make())
        out.append(p)
    out.append(write_oversize(folder / "gen_oversize.md"))  # sparse: instant at any size
    for raw in ODD_NAMES:
        p = os.path.join(os.fsencode(folder), raw)
        with open(p, "wb") as fh:
            fh.write(odd_name_brief(raw))
        out.append(Path(os.fsdecode(p)))
    return out


def hostile_folder(folder: Path, big: bool = True, outside: Path | None = None) -> Path:
    """A folder with every hostile brief; with ``outside``, plus a symlink leading there."""
    write_small(folder)
    write_generated(folder, big=big)
    if outside is not None:
        outside.mkdir(parents=True, exist_ok=True)
        secret = outside / "secret.md"
        secret.write_text('---\ntitle: "Outside the folder: PWNED-SYMLINK"\n---\nSecret.\n', encoding="utf-8")
        (folder / "link-outside.md").symlink_to(secret)
    return folder


def main(argv: list[str]) -> int:
    if "--check" in argv:
        bad = [n for n, d in SMALL.items() if not (BRIEFS / n).is_file() or (BRIEFS / n).read_bytes() != d]
        extra = sorted(p.name for p in BRIEFS.iterdir() if p.name not in SMALL) if BRIEFS.is_dir() else []
        for n in bad:
            print(f"differs or missing: {n}")
        for n in extra:
            print(f"not made by this script: {n}")
        return 1 if bad or extra else 0
    for p in write_small(BRIEFS):
        print(p.relative_to(HERE.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
