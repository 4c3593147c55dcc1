"""Read and write the translation catalogue (locale/en/LC_MESSAGES/django.po).

Small on purpose: `make messages` uses it to drop entries that can never match (see
`is_fragment`), and the tests use it to check that every entry is translated and that
the compiled .mo says the same as the .po.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

# An f-string's placeholder ("{unit.name}") as xgettext sees it in a Python source.
_FSTRING_PLACEHOLDER = re.compile(r"\{[^{}\s]+\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)  # "#…" lines, flags included

    @property
    def fuzzy(self) -> bool:
        return any(c.startswith("#,") and "fuzzy" in c for c in self.comments)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and not self.fuzzy

    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def is_fragment(entry: Entry) -> bool:
    """A message the code builds at run time (an f-string, or the literal half before
    one): xgettext collects its text, but gettext is never asked for exactly that."""
    text = entry.msgid
    return bool(_FSTRING_PLACEHOLDER.search(text)) or text != text.rstrip()


def parse(text: str) -> list[Entry]:
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry, target = Entry(), ("msgid", 0)
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                continue  # obsolete (make messages drops them)
            if line.startswith("#"):
                entry.comments.append(line)
            elif line.startswith('"'):
                _append(entry, target, ast.literal_eval(line))
            elif line:
                keyword, value = line.split(" ", 1)
                target = _target(keyword)
                _set(entry, target, ast.literal_eval(value))
        if entry.comments or entry.msgid or entry.msgstr:
            entries.append(entry)
    return entries


def _target(keyword: str) -> tuple[str, int]:
    if keyword.startswith("msgstr["):
        return ("msgstr", int(keyword[7:-1]))
    return (keyword, 0)


def _set(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = value
    else:
        setattr(entry, name, value)


def _append(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value)


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{p}"' for p in parts)


def dump(entries: list[Entry]) -> str:
    blocks = []
    for e in entries:
        lines = list(e.comments)
        if e.msgctxt is not None:
            lines.append(f"msgctxt {_quote(e.msgctxt)}")
        lines.append(f"msgid {_quote(e.msgid)}")
        if e.msgid_plural is not None:
            lines.append(f"msgid_plural {_quote(e.msgid_plural)}")
            lines += [f"msgstr[{n}] {_quote(s)}" for n, s in sorted(e.msgstr.items())]
        else:
            lines.append(f"msgstr {_quote(e.msgstr.get(0, ''))}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def drop_fragments(path: Path) -> int:
    """Remove the entries that can never match; how many were removed."""
    entries = parse(path.read_text(encoding="utf-8"))
    kept = [e for e in entries if not e.msgid or not is_fragment(e)]
    if len(kept) != len(entries):
        path.write_text(dump(kept), encoding="utf-8")
    return len(entries) - len(kept)
