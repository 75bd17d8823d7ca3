"""A new contact file from ``templates/person.md``, the template Obsidian's Templates plugin uses.

The template is filled the way Obsidian fills it (``{{title}}``, ``{{date}}``,
``{{date:YYYY-MM-DD}}``), not by Jinja, with one difference: the name is data,
so it is quoted for YAML in the front matter and escaped for Markdown in the body.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date

from kith.core.names import clean_text
from kith.edit.files import Value, front_matter_span, line_content, split_lines
from kith.edit.markup import markdown_inline
from kith.edit.yaml_edit import set_keys, yaml_value

_PLACEHOLDER = re.compile(r"\{\{\s*(title|date)(?::([^}]*))?\s*\}\}")


def format_date(when: date, pattern: str | None) -> str:
    """``{{date:YYYY-MM-DD}}`` with the moment.js tokens people use in templates."""
    if not pattern:
        return when.isoformat()
    tokens = {"YYYY": f"{when.year:04d}", "MM": f"{when.month:02d}", "DD": f"{when.day:02d}"}
    return re.sub(r"YYYY|MM|DD", lambda m: tokens[m.group(0)], pattern)


_DATE_KEY = re.compile(
    r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<q>[\"']?)\{\{\s*date(?::[^}]*)?\s*\}\}(?P=q)[ \t]*$"
)
"""A front-matter line whose whole value is the ``{{date}}`` placeholder: ``met: {{date}}``."""


def fill_template(template: str, name: str, today: date, unclaimed: Collection[str] = ()) -> str:
    """The template with its placeholders filled; ``name`` written as data in every context.

    A key of ``unclaimed`` whose value is just ``{{date}}`` is left empty instead: the
    template says ``met: {{date}}`` for the person you meet as you add them, and a
    date that is not true (a prospect you have not met) must not be written.
    """
    name = clean_text(name)
    lines = split_lines(template)
    span = front_matter_span(lines)
    end = span[1] if span else -1
    out: list[str] = []
    for index, line in enumerate(lines):
        in_yaml = span is not None and 0 < index < end
        claim = _DATE_KEY.match(line_content(line)) if in_yaml else None
        if claim is not None and claim.group("key") in unclaimed:
            out.append(claim.group("key") + ":" + line[len(line_content(line)) :])
            continue
        out.append(_fill_line(line, name, today, in_yaml))
    return "".join(out)


def _fill_line(line: str, name: str, today: date, in_yaml: bool) -> str:
    result: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(line):
        result.append(line[position : match.start()])
        position = match.end()
        if match.group(1) == "date":
            result.append(format_date(today, match.group(2)))
        elif not in_yaml:
            result.append(markdown_inline(name))
        else:
            result.append(_yaml_title(name, _quote_at(line, match.start())))
    result.append(line[position:])
    return "".join(result)


def _quote_at(line: str, index: int) -> str:
    """The quote character open at ``index`` in a YAML line (``""`` outside quotes)."""
    quote = ""
    for position, ch in enumerate(line[:index]):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (position == 0 or line[position - 1] in " \t:[,"):
            quote = ch
    return quote


def _yaml_title(name: str, quote: str) -> str:
    if quote == "'":
        return name.replace("'", "''").replace("\n", " ")
    quoted = yaml_value(name + "\n")  # forces double quotes, so every character is escaped
    inner = quoted[1:-1].removesuffix("\\u000a")
    return inner if quote == '"' else yaml_value(name, flow=True)


def new_contact(
    template: str,
    name: str,
    today: date,
    values: Mapping[str, Value],
    where: str,
    unclaimed: Collection[str] = (),
) -> str:
    """The filled template with ``values`` set in its front matter (replacing the
    template's); ``unclaimed`` as ``fill_template`` takes it."""
    text = fill_template(template, name, today, unclaimed)
    return set_keys(text, values, where, overwrite=True).text
