"""A synthetic corpus of annotated briefs, for benchmarks and tests.

``generate_corpus(folder, n, seed=0, size_kb=5)`` writes ``n`` briefs that read like policy
news: front matter with title, date (2015-2026), source, url, tags, summary and declared
entities; paragraphs whose leaders, regions, organisations and events are spans with
``ref=`` and whose dates carry ``value=`` (days, months, quarters, ISO weeks, with a
``mod`` now and then); a heading, a list or a quotation in some. Every brief parses
without errors. The output depends only on ``seed`` (and ``n``, ``size_kb``,
``error_rate``), never on the machine or the time.

    python -m bench.corpus DIR N [--seed S] [--size-kb K] [--error-rate R] [--flat]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from functools import lru_cache
import unicodedata
from pathlib import Path

# (id, name, role, country, first year, last year, aliases)
LEADERS = [
    ("abe", "Shinzo Abe", "Prime Minister of Japan", "Japan", 2015, 2020, ["Abe"]),
    ("suga", "Yoshihide Suga", "Prime Minister of Japan", "Japan", 2020, 2021, ["Suga"]),
    ("kishida", "Fumio Kishida", "Prime Minister of Japan", "Japan", 2021, 2024, ["Kishida"]),
    ("ishiba", "Shigeru Ishiba", "Prime Minister of Japan", "Japan", 2024, 2025, ["Ishiba"]),
    ("takaichi", "Sanae Takaichi", "Prime Minister of Japan", "Japan", 2025, 2026, ["Takaichi"]),
    ("key", "John Key", "Prime Minister of New Zealand", "New Zealand", 2015, 2016, ["Key"]),
    ("english", "Bill English", "Prime Minister of New Zealand", "New Zealand", 2016, 2017, ["English"]),
    ("ardern", "Jacinda Ardern", "Prime Minister of New Zealand", "New Zealand", 2017, 2023, ["Ardern"]),
    ("hipkins", "Chris Hipkins", "Prime Minister of New Zealand", "New Zealand", 2023, 2023, ["Hipkins"]),
    ("luxon", "Christopher Luxon", "Prime Minister of New Zealand", "New Zealand", 2023, 2026, ["Luxon"]),
    ("turnbull", "Malcolm Turnbull", "Prime Minister of Australia", "Australia", 2015, 2018, ["Turnbull"]),
    ("morrison", "Scott Morrison", "Prime Minister of Australia", "Australia", 2018, 2022, ["Morrison"]),
    ("albanese", "Anthony Albanese", "Prime Minister of Australia", "Australia", 2022, 2026, ["Albanese"]),
    ("modi", "Narendra Modi", "Prime Minister of India", "India", 2015, 2026, ["Modi"]),
    ("xi", "Xi Jinping", "President of China", "China", 2015, 2026, ["Xi"]),
    ("li_keqiang", "Li Keqiang", "Premier of China", "China", 2015, 2023, ["Li"]),
    ("li_qiang", "Li Qiang", "Premier of China", "China", 2023, 2026, ["Premier Li"]),
    ("obama", "Barack Obama", "President of the United States", "United States", 2015, 2017, ["Obama"]),
    ("trump", "Donald Trump", "President of the United States", "United States", 2017, 2021, ["Trump"]),
    ("biden", "Joe Biden", "President of the United States", "United States", 2021, 2025, ["Biden"]),
    ("trump2", "Donald Trump", "President of the United States", "United States", 2025, 2026, ["Trump"]),
    ("moon", "Moon Jae-in", "President of South Korea", "South Korea", 2017, 2022, ["Moon"]),
    ("yoon", "Yoon Suk Yeol", "President of South Korea", "South Korea", 2022, 2025, ["Yoon"]),
    ("lee_jm", "Lee Jae-myung", "President of South Korea", "South Korea", 2025, 2026, ["Lee"]),
    ("widodo", "Joko Widodo", "President of Indonesia", "Indonesia", 2015, 2024, ["Widodo", "Jokowi"]),
    ("prabowo", "Prabowo Subianto", "President of Indonesia", "Indonesia", 2024, 2026, ["Prabowo"]),
    ("marcos", "Ferdinand Marcos Jr.", "President of the Philippines", "Philippines", 2022, 2026, ["Marcos"]),
    ("duterte", "Rodrigo Duterte", "President of the Philippines", "Philippines", 2016, 2022, ["Duterte"]),
    ("lee_hl", "Lee Hsien Loong", "Prime Minister of Singapore", "Singapore", 2015, 2024, ["Lee Hsien Loong"]),
    ("wong", "Lawrence Wong", "Prime Minister of Singapore", "Singapore", 2024, 2026, ["Wong"]),
    ("anwar", "Anwar Ibrahim", "Prime Minister of Malaysia", "Malaysia", 2022, 2026, ["Anwar"]),
    ("merkel", "Angela Merkel", "Chancellor of Germany", "Germany", 2015, 2021, ["Merkel"]),
    ("scholz", "Olaf Scholz", "Chancellor of Germany", "Germany", 2021, 2025, ["Scholz"]),
    ("merz", "Friedrich Merz", "Chancellor of Germany", "Germany", 2025, 2026, ["Merz"]),
    ("macron", "Emmanuel Macron", "President of France", "France", 2017, 2026, ["Macron"]),
    ("hollande", "François Hollande", "President of France", "France", 2015, 2017, ["Hollande"]),
    ("may", "Theresa May", "Prime Minister of the United Kingdom", "United Kingdom", 2016, 2019, ["May"]),
    ("johnson", "Boris Johnson", "Prime Minister of the United Kingdom", "United Kingdom", 2019, 2022, ["Johnson"]),
    ("sunak", "Rishi Sunak", "Prime Minister of the United Kingdom", "United Kingdom", 2022, 2024, ["Sunak"]),
    ("starmer", "Keir Starmer", "Prime Minister of the United Kingdom", "United Kingdom", 2024, 2026, ["Starmer"]),
    ("trudeau", "Justin Trudeau", "Prime Minister of Canada", "Canada", 2015, 2025, ["Trudeau"]),
    ("carney", "Mark Carney", "Prime Minister of Canada", "Canada", 2025, 2026, ["Carney"]),
    ("meloni", "Giorgia Meloni", "Prime Minister of Italy", "Italy", 2022, 2026, ["Meloni"]),
    ("sanchez", "Pedro Sánchez", "Prime Minister of Spain", "Spain", 2018, 2026, ["Sánchez"]),
    ("erdogan", "Recep Tayyip Erdoğan", "President of Türkiye", "Türkiye", 2015, 2026, ["Erdoğan"]),
    ("lula", "Luiz Inácio Lula da Silva", "President of Brazil", "Brazil", 2023, 2026, ["Lula"]),
    ("ramaphosa", "Cyril Ramaphosa", "President of South Africa", "South Africa", 2018, 2026, ["Ramaphosa"]),
    ("zelenskyy", "Volodymyr Zelenskyy", "President of Ukraine", "Ukraine", 2019, 2026, ["Zelenskyy"]),
    ("putin", "Vladimir Putin", "President of Russia", "Russia", 2015, 2026, ["Putin"]),
    ("rabuka", "Sitiveni Rabuka", "Prime Minister of Fiji", "Fiji", 2022, 2026, ["Rabuka"]),
    ("marape", "James Marape", "Prime Minister of Papua New Guinea", "Papua New Guinea", 2019, 2026, ["Marape"]),
    ("sogavare", "Manasseh Sogavare", "Prime Minister of Solomon Islands", "Solomon Islands", 2019, 2024, ["Sogavare"]),
    ("guterres", "António Guterres", "Secretary-General of the United Nations", None, 2017, 2026, ["Guterres"]),
    ("stoltenberg", "Jens Stoltenberg", "Secretary General of NATO", None, 2015, 2024, ["Stoltenberg"]),
    ("rutte", "Mark Rutte", "Secretary General of NATO", None, 2024, 2026, ["Rutte"]),
    ("vdl", "Ursula von der Leyen", "President of the European Commission", None, 2019, 2026, ["von der Leyen"]),
]

# (id, name, kind, country or None, aliases)
COUNTRIES = [
    ("japan", "Japan", ["Tokyo"]), ("nz", "New Zealand", ["Wellington"]), ("australia", "Australia", ["Canberra"]),
    ("india", "India", ["New Delhi"]), ("china", "China", ["Beijing"]), ("usa", "United States", ["Washington"]),
    ("skorea", "South Korea", ["Seoul"]), ("indonesia", "Indonesia", ["Jakarta"]), ("philippines", "Philippines", ["Manila"]),
    ("singapore", "Singapore", []), ("malaysia", "Malaysia", ["Kuala Lumpur"]), ("germany", "Germany", ["Berlin"]),
    ("france", "France", ["Paris"]), ("uk", "United Kingdom", ["London"]), ("canada", "Canada", ["Ottawa"]),
    ("italy", "Italy", ["Rome"]), ("spain", "Spain", ["Madrid"]), ("turkiye", "Türkiye", ["Ankara"]),
    ("brazil", "Brazil", ["Brasília"]), ("safrica", "South Africa", ["Pretoria"]), ("ukraine", "Ukraine", ["Kyiv"]),
    ("russia", "Russia", ["Moscow"]), ("fiji", "Fiji", ["Suva"]), ("png", "Papua New Guinea", ["Port Moresby"]),
    ("solomons", "Solomon Islands", ["Honiara"]), ("vietnam", "Vietnam", ["Hanoi"]), ("thailand", "Thailand", ["Bangkok"]),
    ("taiwan", "Taiwan", ["Taipei"]), ("nkorea", "North Korea", ["Pyongyang"]), ("tonga", "Tonga", ["Nuku'alofa"]),
]
WITH_ARTICLE = {"United States", "United Kingdom", "Philippines", "Solomon Islands"}
SEAS = [
    ("scs", "South China Sea", "sea"), ("ecs", "East China Sea", "sea"), ("taiwan_strait", "Taiwan Strait", "strait"),
    ("indopacific", "Indo-Pacific", "region"), ("pacific_islands", "Pacific Islands", "region"), ("arctic", "Arctic", "region"),
    ("black_sea", "Black Sea", "sea"), ("red_sea", "Red Sea", "sea"), ("sahel", "Sahel", "region"),
    ("malacca", "Strait of Malacca", "strait"), ("senkaku", "Senkaku Islands", "islands"), ("europe", "Europe", "continent"),
]
ORGS = [
    ("asean", "ASEAN", ["the Association of Southeast Asian Nations"]), ("nato", "NATO", ["the alliance"]),
    ("un", "the United Nations", ["the UN"]), ("eu", "the European Union", ["the EU", "Brussels"]),
    ("g7", "the G7", ["the Group of Seven"]), ("g20", "the G20", []), ("quad", "the Quad", ["the Quadrilateral Security Dialogue"]),
    ("imf", "the International Monetary Fund", ["the IMF"]), ("wto", "the World Trade Organization", ["the WTO"]),
    ("apec", "APEC", ["Asia-Pacific Economic Cooperation"]), ("pif", "the Pacific Islands Forum", ["the Forum"]),
    ("who", "the World Health Organization", ["the WHO"]), ("au", "the African Union", []),
    ("aukus", "AUKUS", []), ("iaea", "the International Atomic Energy Agency", ["the IAEA"]),
]

# topic: (tags, title templates, noun phrases, event names)
TOPICS = {
    "security": (
        ["security", "defence"],
        ["{A} and {B} deepen defence ties amid {R} tensions", "{A}, {B} agree to boost security cooperation",
         "{A} and {B} sign reciprocal access agreement", "{A} steps up patrols in the {R}"],
        ["reciprocal access arrangements", "joint patrols", "military information-sharing", "the security partnership",
         "maritime domain awareness", "defence industrial cooperation", "coast guard coordination"],
        ["joint drills", "a naval exercise", "a two-plus-two dialogue"],
    ),
    "trade": (
        ["trade", "economy"],
        ["{A} and {B} conclude talks on a free trade agreement", "{A} eyes closer trade links with {B}",
         "{A}, {B} pledge to keep supply chains open", "Tariff dispute between {A} and {B} eases"],
        ["tariff reductions", "supply chain resilience", "market access for farm exports", "a digital trade chapter",
         "rules of origin", "investment screening"],
        ["a trade ministers' meeting", "the round of negotiations"],
    ),
    "climate": (
        ["climate", "energy"],
        ["{A} and {B} launch clean energy partnership", "{A} pledges climate finance for the {R}",
         "{A}, {B} commit to faster emissions cuts"],
        ["climate finance", "renewable hydrogen", "adaptation funding", "coal phase-out timelines",
         "loss and damage", "grid interconnection"],
        ["the climate summit", "a clean energy dialogue"],
    ),
    "health": (
        ["health"],
        ["{A} and {B} expand vaccine cooperation", "{A} backs pandemic preparedness fund in the {R}"],
        ["vaccine manufacturing", "pandemic preparedness", "health system resilience", "disease surveillance"],
        ["a health ministers' meeting"],
    ),
    "cyber": (
        ["cyber", "technology"],
        ["{A} and {B} partner on cyber defence", "{A}, {B} to align rules on critical technology",
         "{A} and {B} sign semiconductor cooperation memorandum"],
        ["critical infrastructure protection", "semiconductor supply", "undersea cables", "5G networks",
         "ransomware response", "artificial intelligence governance"],
        ["a cyber dialogue", "the technology council"],
    ),
    "minerals": (
        ["critical-minerals", "economy"],
        ["{A} and {B} agree on critical minerals framework", "{A} seeks {B} lithium for battery supply chains"],
        ["rare earth processing", "lithium supply", "critical minerals stockpiles", "responsible mining standards"],
        ["a minerals security partnership meeting"],
    ),
    "development": (
        ["development", "aid"],
        ["{A} increases development aid to the {R}", "{A} and {B} co-finance port project"],
        ["infrastructure finance", "debt sustainability", "port upgrades", "undersea cable links", "budget support"],
        ["a donors' conference"],
    ),
    "nuclear": (
        ["nuclear", "security"],
        ["{A} and {B} condemn missile launches", "{A}, {B} call for restraint over nuclear programme"],
        ["non-proliferation commitments", "sanctions enforcement", "missile defence", "nuclear safety"],
        ["an emergency meeting of the Security Council"],
    ),
}
TOPIC_NAMES = sorted(TOPICS)

SOURCES = ["Pacific Policy Review", "Asia Security Monitor", "Global Affairs Digest", "The Diplomatic Wire",
           "Regional Briefing Service", "Capital Notes", "Policy Desk", "Strategic Outlook Weekly"]

OPENERS = [
    "{L1} and {L2} {D} agreed to strengthen cooperation on {N1}, officials said.",
    "Meeting in {C} {D}, {L1} and {L2} discussed {N1} and {N2}.",
    "{L1} said {D} that {R1} and {R2} would step up work on {N1}.",
    "{D}, {L1} welcomed {L2} to {C} for talks focused on {N1}.",
]
SENTENCES = [
    "{L1} said the two countries shared an interest in {N1}.",
    "{R1} has expressed concern about developments in the {S}.",
    "Officials from {R1} and {R2} will meet again {D2} to review progress on {N2}.",
    "{A} described {N1} as a priority for {R1}.",
    "The talks also touched on {N2}, according to a statement released by {R2}.",
    "{L2} told reporters that {O} had a role to play in {N1}.",
    "Analysts said the agreement reflected growing unease about the {S}.",
    "{R1} and {R2} plan to hold {E} {D2}.",
    "{L1} noted that cooperation on {N2} had expanded {DM}.",
    "Both sides reaffirmed their support for {O} and for a rules-based order in the {S}.",
    "{A2} said {R2} was ready to contribute to {N1}.",
    "A joint statement said the leaders opposed any unilateral attempt to change the status quo in the {S}.",
    "The agreement is expected to be signed {D2}, pending approval by {R1}'s cabinet.",
    "{L2} also raised {N2} with representatives of {O}.",
    "Critics in {R2} argued that the plan on {N1} lacked detail.",
    "Trade between {R1} and {R2} rose {DM}, driven by demand linked to {N2}.",
]
ORG_SENTENCES = [
    "The meeting came ahead of a gathering of {O} {D2}.",
    "Both leaders said {O} should play a larger role in {N1}.",
    "{L2} said the plan had the backing of {O}.",
]
CONNECTIVES = ["Separately,", "Earlier,", "In addition,", "Meanwhile,", "At the same time,"]
QUOTES = [
    "We share a vision of an open and stable {S}, and today we took a concrete step towards it.",
    "Our cooperation on {N1} will make both of our countries safer and more prosperous.",
    "No country can meet these challenges alone.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
HEADINGS = ["Background", "What was agreed", "Regional reaction", "Next steps"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKD", text.lower()):
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)[:60]


_PARTS: dict[str, list[str]] = {}


def _split_template(template: str) -> list[str]:
    """'a {L1} b' -> ['a ', 'L1', ' b']: literals at even indexes, placeholders at odd ones."""
    parts: list[str] = []
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        key, _, rest = after.partition("}")
        parts += [before, key]
    parts.append(rest)
    return parts


@lru_cache(maxsize=8192)
def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class _Brief:
    """One brief being written: its cast, declared entities and body."""

    def __init__(self, rng: random.Random, index: int, size: int):
        self.rng = rng
        self.index = index
        self.size = size
        year = rng.randint(2015, 2026)
        self.date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365 if year % 4 else 366))
        self.topic = rng.choice(TOPIC_NAMES)
        in_office = [ld for ld in LEADERS if ld[4] <= year <= ld[5]]
        with_country = [ld for ld in in_office if ld[3]]
        self.leaders = rng.sample(with_country, 2)
        others = [ld for ld in in_office if ld not in self.leaders]
        if rng.random() < 0.5 and others:
            self.leaders.append(rng.choice(others))
        self.entities: dict[str, dict] = {}
        self.countries: list[tuple[str, str]] = []
        for ld in self.leaders:
            self.entities[ld[0]] = {"type": "leader", "name": ld[1], "role": ld[2], "country": ld[3], "aliases": ld[6]}
            if ld[3]:
                self._country(ld[3])
        for cid, name, _ in rng.sample(COUNTRIES, 2):
            self._country(name)
        sid, sname, skind = rng.choice(SEAS)
        self.sea = (sid, sname)
        self.entities[sid] = {"type": "region", "name": sname, "kind": skind}
        self.sea_mention = f"[{sname}]{{.region ref={sid}}}"
        self.orgs = rng.sample(ORGS, 2)
        for oid, oname, aliases in self.orgs:
            self.entities[oid] = {"type": "org", "name": oname, "aliases": aliases}
        self.city = None
        home = next(c for c in COUNTRIES if c[1] == self.leaders[0][3])
        if home[2]:
            self.city = (home[0] + "_capital", home[2][0], home[1])
            self.entities[self.city[0]] = {"type": "region", "name": home[2][0], "kind": "city", "country": home[1]}

    def _country(self, name: str) -> None:
        for cid, cname, _ in COUNTRIES:
            if cname == name:
                if cid not in self.entities:
                    self.entities[cid] = {"type": "region", "name": cname, "kind": "country"}
                    self.countries.append((cid, cname))
                return

    # -- mentions
    def leader(self, k: int, full: bool = False) -> str:
        ld = self.leaders[k % len(self.leaders)]
        r = self.rng.random()
        if full or r < 0.4:
            text = ld[1] if r < 0.2 else ld[2].split(" of ")[0] + " " + ld[1]
        else:
            text = ld[6][0]
        return f"[{text}]{{.leader ref={ld[0]}}}"

    def region(self, k: int) -> str:
        cid, name = self.countries[k % len(self.countries)]
        text = "the " + name if name in WITH_ARTICLE else name
        return f"[{text}]{{.region ref={cid}}}"

    def org(self) -> str:
        r = self.rng.random
        oid, name, aliases = self.orgs[int(r() * len(self.orgs))]
        text = name if not aliases or r() < 0.6 else aliases[int(r() * len(aliases))]
        return f"[{text}]{{.org ref={oid}}}"

    def date_day(self) -> str:
        d = self.date - dt.timedelta(days=int(self.rng.random() * 4))
        if self.rng.random() < 0.5:
            text = f"on {WEEKDAYS[d.weekday()]}"
        else:
            text = f"on {d.day} {MONTHS[d.month - 1]}"
        return f"[{text}]{{.date value={d.isoformat()}}}"

    def date_later(self) -> str:
        r = self.rng.random()
        d = self.date + dt.timedelta(days=20 + int(self.rng.random() * 180))
        if r < 0.35:
            return f"[in {MONTHS[d.month - 1]}]{{.date value={d.year}-{d.month:02d}}}"
        if r < 0.6:
            q = (d.month - 1) // 3 + 1
            return f"[in the {('first', 'second', 'third', 'fourth')[q - 1]} quarter of {d.year}]{{.date value={d.year}-Q{q}}}"
        if r < 0.8:
            return f"[by the end of the year]{{.date value={self.date.year} mod=END}}"
        week = d.isocalendar()
        return f"[the week of {d.day} {MONTHS[d.month - 1]}]{{.date value={week[0]}-W{week[1]:02d}}}"

    def date_past(self) -> str:
        y = self.date.year
        if self.rng.random() < 0.5:
            return f"[over the past year]{{.date value={y - 1} mod=AFTER}}"
        return f"[since {y - 2}]{{.date value={y - 2} mod=AFTER}}"

    def fill(self, template: str) -> str:
        parts = _PARTS.get(template)
        if parts is None:
            parts = _PARTS[template] = _split_template(template)
        self._nouns = None
        out = [self._value(p) if i % 2 else p for i, p in enumerate(parts)]
        text = "".join(out)
        if text.startswith("[the "):
            return "[The " + text[5:]
        return text[0].upper() + text[1:] if text[0].islower() else text

    def _value(self, key: str) -> str:
        r = self.rng.random
        if key == "L1":
            return self.leader(0)
        if key == "L2":
            return self.leader(1)
        if key in ("A", "A2"):
            return self.leader(int(r() * 3))
        if key == "R1":
            return self.region(0)
        if key == "R2":
            return self.region(1 + int(r() * 3))
        if key == "C":
            return f"[{self.city[1]}]{{.region ref={self.city[0]}}}" if self.city else self.region(0)
        if key == "S":
            return self.sea_mention
        if key == "O":
            return self.org()
        if key == "D":
            return self.date_day()
        if key == "D2":
            return self.date_later()
        if key == "DM":
            return self.date_past()
        if key in ("N1", "N2"):
            if self._nouns is None:
                self._nouns = self.rng.sample(TOPICS[self.topic][2], 2)
            return self._nouns[key == "N2"]
        events = TOPICS[self.topic][3]
        return f"[{events[int(r() * len(events))]}]{{.event}}"

    # -- the document
    def make_title(self) -> str:
        t = self.rng.choice(TOPICS[self.topic][1])
        a, b = self.leaders[0][3], self.leaders[1][3]
        self.title = t.format(A=a, B=b, R=self.sea[1])
        return self.title

    def render(self, error: str | None) -> str:
        rng = self.rng
        title = self.make_title()
        tags = list(TOPICS[self.topic][0]) + [_slug(n) for _, n in self.countries[:3]] + [_slug(self.sea[1])]
        tags = list(dict.fromkeys(tags))
        l1, l2 = self.leaders[0], self.leaders[1]
        n1, n2 = rng.sample(TOPICS[self.topic][2], 2)
        summary = f"{l1[1]} and {l2[1]} discussed {n1} and {n2} on {self.date.day} {MONTHS[self.date.month - 1]} {self.date.year}."
        fm = ["---", f"title: {_q(title)}", f"published: {self.date.isoformat()}", f"source: {_q(rng.choice(SOURCES))}",
              f"url: https://briefs.example.org/{self.date.year}/{self.index:06d}-{_slug(title)}",
              f"tags: [{', '.join(tags)}]", f"summary: {_q(summary)}", "entities:"]
        for eid, spec in self.entities.items():
            fm.append(f"  {eid}:")
            for key in ("type", "name", "role", "country", "kind"):
                if spec.get(key):
                    fm.append(f"    {key}: {_q(spec[key])}")
            if spec.get("aliases"):
                fm.append(f"    aliases: [{', '.join(_q(a) for a in spec['aliases'])}]")
        fm.append("---")
        head = "\n".join(fm) + "\n\n"

        paras = [self.fill(rng.choice(OPENERS)) + " " + self.fill(rng.choice(ORG_SENTENCES))]
        length = len(head) + len(paras[0])
        n = 0
        while length < self.size:
            n += 1
            r = rng.random()
            if r < 0.08 and n > 1:
                block = "## " + rng.choice(HEADINGS)
            elif r < 0.14:
                block = f"> “{self.fill(rng.choice(QUOTES))}” said {self.leader(rng.randrange(2), full=True)}."
            elif r < 0.20:
                block = "\n".join("- " + self.fill(rng.choice(SENTENCES)) for _ in range(rng.randint(2, 4)))
            else:
                sents = [self.fill(SENTENCES[int(rng.random() * len(SENTENCES))]) for _ in range(3 + int(rng.random() * 4))]
                if rng.random() < 0.3:
                    sents[0] = rng.choice(CONNECTIVES) + " " + sents[0][0].lower() + sents[0][1:] if not sents[0].startswith("[") else sents[0]
                if rng.random() < 0.15:
                    sents[-1] = sents[-1][:-1] + ", a *significant* shift."
                block = " ".join(sents)
            paras.append(block)
            length += len(block) + 2
        body = "\n\n".join(paras) + "\n"
        if error == "ref":
            body = body.replace("{.leader ref=", "{.leader ref=missing_", 1)
        elif error == "bracket":
            body = body.replace("]{.region", "{.region", 1)
        elif error == "yaml":
            head = head.replace("published: ", "published: not-a-date-", 1)
        return head + body


def generate_brief(seed: int, index: int, size_kb: float = 5.0, error: str | None = None) -> tuple[str, str]:
    """(relative path, text) of brief ``index`` of the corpus of ``seed``."""
    rng = random.Random(seed * 1_000_003 + index)
    size = int(size_kb * 1024 * rng.uniform(0.6, 1.4))
    b = _Brief(rng, index, size)
    text = b.render(error)
    name = f"{b.date.isoformat()}-{index:06d}-{_slug(b.title)[:40]}.md"
    return f"{b.date.year}/{name}", text


def generate_corpus(folder: str | os.PathLike, n: int, seed: int = 0, size_kb: float = 5.0,
                    error_rate: float = 0.0, nested: bool = True) -> list[Path]:
    """Write ``n`` briefs under ``folder`` (in one folder per year unless ``nested`` is
    false) and return their paths. With ``error_rate`` > 0 that share of briefs carries one
    deliberate error (an unknown ref, a broken span or a bad date), chosen from the seed."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    pick = random.Random(seed ^ 0x5EED)
    kinds = ("ref", "bracket", "yaml")
    paths: list[Path] = []
    made: set[str] = set()
    for i in range(n):
        error = pick.choice(kinds) if error_rate > 0 and pick.random() < error_rate else None
        rel, text = generate_brief(seed, i, size_kb, error)
        if not nested:
            rel = rel.split("/", 1)[1]
        path = root / rel
        parent = str(path.parent)
        if parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.corpus", description="Write a synthetic corpus of annotated briefs.")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("n", metavar="N", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size-kb", type=float, default=5.0, help="average size of a brief (default 5)")
    p.add_argument("--error-rate", type=float, default=0.0, help="share of briefs with a deliberate error (default 0)")
    p.add_argument("--flat", action="store_true", help="write every brief in DIR, not one folder per year")
    args = p.parse_args(argv)
    if args.n < 0:
        p.error("N must be 0 or more")
    t0 = time.perf_counter()
    paths = generate_corpus(args.folder, args.n, seed=args.seed, size_kb=args.size_kb,
                            error_rate=args.error_rate, nested=not args.flat)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} briefs, {size / 1e6:.1f} MB, in {args.folder} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
