"""Find user-visible text in templates that does not go through the translation machinery.

Used by test_i18n.py (and handy on its own: `python -m lmn.web.tests.translatable`
lists every finding as file:line: text). A template passes when every visible text node,
every visible attribute (aria-label, title, placeholder, alt) and every prose literal
handed to an include or a `default` filter is inside {% translate %} /
{% blocktranslate %} or written as _("...").

Exempt on purpose: text inside an element with its own `lang` attribute (a language's
name in that language, as in the language switch), <script>/<style>, comments, and the
words in ALLOWED (names that are the same in every language).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from django.template.base import Lexer, TokenType

# the same in every language: the service's short name and separators
ALLOWED = {"LMN", "LMN –"}

VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")
_MASK = "\x01"
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# a literal that reads as prose (not a code like "arrived" or a format like "Y-m-d")
_PROSE = re.compile(r"[A-ZÅÄÖ][a-zåäö]|[a-zåäö]\s+[a-zåäö]|[åäöÅÄÖ]")
_LITERAL_ARG = re.compile(r"""(?:\b[\w.]+=|default:|default_if_none:|yesno:)(["'])(.*?)\1""")
_TRANSLATED_ARG = re.compile(r"""_\((["']).*?\1\)""")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*)>", re.S)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(["'])(.*?)\2""", re.S)
_HIDDEN_CONTENT = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1>|<!--.*?-->|<!doctype[^>]*>", re.S | re.I
)


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r} is not translatable"


def _masked(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The source with every template token (and everything inside blocktranslate or
    comment blocks) replaced by a placeholder of the same length, newlines kept; plus
    the block and variable tokens (offset, contents) to check their literals."""
    out: list[str] = []
    tags: list[tuple[int, str]] = []
    skip_until: str | None = None
    offset = 0
    for token in Lexer(source).tokenize():
        raw = _raw(source, offset, token.token_type, token.contents)
        contents = token.contents.strip()
        word = contents.split(" ", 1)[0] if contents else ""
        keep = token.token_type == TokenType.TEXT and skip_until is None
        if skip_until is not None and token.token_type == TokenType.BLOCK:
            if word == skip_until:
                skip_until = None
        elif token.token_type == TokenType.BLOCK and word in ("blocktranslate", "blocktrans"):
            skip_until = "end" + word
        elif token.token_type == TokenType.BLOCK and word == "comment":
            skip_until = "endcomment"
        elif token.token_type in (TokenType.BLOCK, TokenType.VAR) and skip_until is None:
            tags.append((offset, contents))
        out.append(raw if keep else re.sub(r"[^\n]", _MASK, raw))
        offset += len(raw)
    return "".join(out), tags


def _raw(source: str, offset: int, kind: TokenType, contents: str) -> str:
    """The token's text as written (the lexer keeps only its contents)."""
    if kind == TokenType.TEXT:
        return contents
    closing = {TokenType.VAR: "}}", TokenType.BLOCK: "%}", TokenType.COMMENT: "#}"}[kind]
    end = source.index(closing, offset) + 2
    return source[offset:end]


def _line(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def scan_source(path: Path, source: str) -> list[Finding]:
    masked, tags = _masked(source)
    masked = _HIDDEN_CONTENT.sub(lambda m: re.sub(r"[^\n]", _MASK, m.group(0)), masked)
    findings: list[Finding] = []
    own_language_depth: list[str] = []  # open elements that carry their own lang
    position = 0
    for tag in _TAG.finditer(masked):
        findings += _text_findings(path, source, masked, position, tag.start(), own_language_depth)
        closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing and own_language_depth and own_language_depth[-1] == name:
            own_language_depth.pop()
        elif not closing and re.search(r"\blang\s*=", attributes):
            own_language_depth.append(name)
        for attribute in _ATTRIBUTE.finditer(attributes):
            # inside an element with its own lang (a letter in Swedish): as for its text
            if own_language_depth:
                continue
            if attribute.group(1).lower() in VISIBLE_ATTRIBUTES:
                value = attribute.group(3).replace(_MASK, "").strip()
                if _LETTER.search(value):
                    at = tag.start(3) + attribute.start(3)
                    findings.append(Finding(path, _line(source, at), value))
        position = tag.end()
    findings += _text_findings(path, source, masked, position, len(masked), own_language_depth)
    for offset, contents in tags:
        without_translated = _TRANSLATED_ARG.sub("", contents)
        for literal in _LITERAL_ARG.finditer(without_translated):
            if _PROSE.search(literal.group(2)):
                findings.append(Finding(path, _line(source, offset), literal.group(2)))
    return findings


def _text_findings(
    path: Path, source: str, masked: str, start: int, end: int, own_language: list[str]
) -> list[Finding]:
    text = masked[start:end]
    visible = " ".join(text.replace(_MASK, " ").split())
    if own_language or not _LETTER.search(visible) or visible in ALLOWED:
        return []
    if re.fullmatch(r"&[a-z]+;|&#\d+;", visible):
        return []
    first = start + len(text) - len(text.lstrip(_MASK + " \n\t"))
    return [Finding(path, _line(source, first), visible)]


def scan(paths: list[Path]) -> list[Finding]:
    findings: list[Finding] = []
    for path in paths:
        findings += scan_source(path, path.read_text(encoding="utf-8"))
    return findings


def portal_templates(root: Path) -> list[Path]:
    """Every HTML template of the project's apps (the portal, letters, labels)."""
    return sorted(p for p in (root / "lmn").glob("*/templates/**/*.html"))


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    root = Path(__file__).resolve().parents[3]
    found = scan(portal_templates(root))
    for finding in found:
        print(finding)
    print(f"{len(found)} untranslated strings", file=sys.stderr)


# --- what the code marks for translation, to find entries missing from the catalogue ---

_TRANSLATING = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
_SECOND_ARGUMENT = {"Problem", "single", "PermissionDenied"}  # see the makemessages command
_TEMPLATIZED_CALL = re.compile(
    r"\b(?:n?gettext|_)\(\s*(u?'(?:[^'\\]|\\.)*'(?:\s*,\s*u?'(?:[^'\\]|\\.)*')?)"
)


@dataclass(frozen=True)
class Marked:
    path: Path
    line: int
    msgid: str
    msgid_plural: str | None = None


def marked_in_python(path: Path) -> list[Marked]:
    import ast

    found: list[Marked] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        index = 0 if name in _TRANSLATING else 1 if name in _SECOND_ARGUMENT else None
        if index is None or len(node.args) <= index:
            continue
        argument = node.args[index]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            plural: str | None = None
            second = node.args[1] if len(node.args) > 1 else None
            if name.startswith("ngettext") and isinstance(second, ast.Constant):
                plural = second.value if isinstance(second.value, str) else None
            if argument.value:
                found.append(Marked(path, node.lineno, argument.value, plural))
    return found


def marked_in_template(path: Path) -> list[Marked]:
    import ast

    from django.utils.translation.template import templatize

    found: list[Marked] = []
    source = path.read_text(encoding="utf-8")
    for number, line in enumerate(templatize(source).splitlines(), start=1):
        for call in _TEMPLATIZED_CALL.finditer(line):
            strings = ast.literal_eval(f"({call.group(1)},)")
            plural = strings[1] if len(strings) > 1 else None
            found.append(Marked(path, number, strings[0], plural))
    return found


def marked_messages(root: Path) -> list[Marked]:
    """Every message the code marks for translation, as `make messages` collects them."""
    found: list[Marked] = []
    for path in sorted((root / "lmn").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found += marked_in_python(path)
    for path in portal_templates(root):
        found += marked_in_template(path)
    return found


# --- forms: what a form shows must be a lazy translation (evaluated when rendered) ---


def form_classes() -> list[type]:
    """Every form class defined in lmn.web.forms."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import lmn.web.forms as package

    classes: list[type] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                classes.append(cls)
    return classes


def untranslated_form_texts(cls: type) -> list[str]:
    """'Form.field label: "text"' for every label, help text, error message or choice
    label that is a plain string (so it would stay Swedish in English)."""
    from django import forms
    from django.utils.functional import Promise

    def plain(value: object) -> bool:
        return (
            isinstance(value, str)
            and not isinstance(value, Promise)
            and bool(_LETTER.search(value))
        )

    problems: list[str] = []
    for name, field in cls.base_fields.items():  # type: ignore[attr-defined]
        where = f"{cls.__module__}.{cls.__name__}.{name}"
        if isinstance(field.widget, forms.HiddenInput):
            continue
        if field.label is None:
            problems.append(f"{where}: no label (Django would make one from the name)")
        elif plain(field.label):
            problems.append(f"{where} label: {field.label!r}")
        if plain(field.help_text):
            problems.append(f"{where} help_text: {field.help_text!r}")
        for key, message in field.error_messages.items():
            if plain(message):
                problems.append(f"{where} error_messages[{key!r}]: {message!r}")
        for _value, label in getattr(field, "choices", None) or []:
            if plain(label):
                problems.append(f"{where} choice: {label!r}")
    return problems
