"""What the ``calls``, ``rules`` and ``explain`` commands show: the packs' own documentation."""

from __future__ import annotations

import collections
import json
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from cosmecheck.report.text import SEVERITY_STYLE, wrapped
from cosmecheck.rulepacks import Pack, Rule


def calls_table(packs: list[Pack]) -> Table:
    """One row per pack: id, title, deadline, number of rules."""
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for column in ("call", "title", "deadline", "rules"):
        table.add_column(column, justify="right" if column == "rules" else "left")
    for pack in packs:
        deadline = pack.meta["deadline"]
        when = f"{deadline['local'].replace('T', ' ')[:16]} {deadline['timezone']}"
        table.add_row(Text(pack.id, style="bold"), pack.title, when, str(len(pack.rules)))
    return table


def rules_table(pack: Pack) -> Group:
    """A pack's rules (id, severity, title, section, source) and what it leaves out on purpose."""
    table = Table(
        title=f"{pack.id}: {pack.title}", show_edge=False, header_style="bold", pad_edge=False
    )
    widest = max((len(rule_id) for rule_id in pack.rules), default=4)
    table.add_column("rule", min_width=widest, no_wrap=True)
    for column in ("severity", "title", "section", "source"):
        table.add_column(column)
    for rule in pack.rules.values():
        table.add_row(
            Text(rule.id, style="bold"),
            Text(str(rule.severity), style=SEVERITY_STYLE[rule.severity]),
            rule.title,
            str(rule.doc["section"]),
            str(rule.doc["source"]),
        )
    parts: list[Any] = [table]
    if pack.meta.get("not_checked"):
        parts.append(
            Text("\nNot checked on purpose (cosmecheck explain ID tells why):", style="bold")
        )
        for item in pack.meta["not_checked"]:
            parts.append(Text(f"  {item['id']}: {item['topic']}"))
    return Group(*parts)


def explain_rule(console: Console, pack: Pack, rule: Rule) -> None:
    """Print a rule's full documentation."""
    doc = rule.doc
    head = Text(rule.id, style="bold")
    head.append(f"  {rule.severity}", style=SEVERITY_STYLE[rule.severity])
    scope = "each partner" if rule.scope == "partner" else "the consortium file"
    head.append(f" · {pack.id}, section {doc['section']} · applies to {scope}", style="dim")
    console.print(head)
    console.print(Text(rule.title, style="italic"))
    sections = [
        ("What it checks", doc["summary"]),
        ("Why", doc["rationale"]),
        ("How to fix a failure", doc["fix"]),
        ("Source", _source_text(pack, rule)),
        ("Parameters of the call it uses", _parameters(pack, rule)),
        ("How firm its data is", _data_status(pack, rule)),
    ]
    skipped = [i for i in pack.meta.get("not_checked", []) if rule.id in i.get("related", [])]
    sections += [("Not checked on purpose", f"{i['topic']}: {i['reason']}.") for i in skipped]
    for title, body in sections:
        if body:
            console.print()
            console.print(Text(title, style="bold"))
            console.print(wrapped(console, " ".join(str(body).split()), 2))
    console.print()
    console.print(Text("Its own examples (run by the test suite)", style="bold"))
    for example in doc["examples"]:
        console.print(f"  {example['expect']:>12}: {example['description']}")


def explain_not_checked(console: Console, pack: Pack, item: dict[str, Any]) -> None:
    """Print why a requirement people look for is not checked."""
    console.print(Text(f"{item['id']}  not checked on purpose · {pack.id}", style="bold"))
    topic = f"{item['topic'][0].upper()}{item['topic'][1:]}"
    console.print(wrapped(console, f"{topic}: {item['reason']}.", 2))


def _source_text(pack: Pack, rule: Rule) -> str:
    status = str(rule.doc["source"])
    meaning = pack.meta["sources"]["statuses"].get(status, "")
    note = f" ({rule.doc['source_note']})" if rule.doc.get("source_note") else ""
    return f"{status}{note}: {meaning}. {pack.meta['sources']['call']}"


def _parameters(pack: Pack, rule: Rule) -> str:
    names = sorted(set(_param_names(rule.doc)))
    status = pack.meta.get("parameter_status", {})
    lines = []
    for name in names:
        value = pack.params.get(name.split(".")[0])
        shown = json.dumps(value) if not isinstance(value, str) else value
        lines.append(
            f"{name.split('.')[0]} = {shown} ({status.get(name.split('.')[0], 'see pack.yaml')})"
        )
    if "deadline" in json.dumps([c["schema"] for c in rule.doc["checks"]]):
        d = pack.meta["deadline"]
        lines.append(
            f"deadline = {d['local']} {d['timezone']} ({' '.join(d.get('status', '').split())})"
        )
    return "; ".join(dict.fromkeys(lines))


def _param_names(node: Any) -> list[str]:
    if isinstance(node, dict):
        if set(node) == {"$param"}:
            return [str(node["$param"])]
        return [n for v in node.values() for n in _param_names(v)]
    if isinstance(node, list):
        return [n for v in node for n in _param_names(v)]
    return []


def _data_status(pack: Pack, rule: Rule) -> str:
    """The rule's own note on its data, with the status counts of the regions table."""
    note = " ".join(str(rule.doc.get("data_status", "")).split())
    if not note:
        return note
    regions = pack.tables.regions["regions"]
    counts = collections.Counter(r["status"] for r in regions.values())
    confirmed = sorted({code[:2] for code, r in regions.items() if r["status"] == "confirmed"})
    return (
        f"{note} Regions table {pack.tables.regions['table']} ({pack.tables.regions['source']}): "
        f"{counts['confirmed']} regions confirmed (in {', '.join(confirmed)}), "
        f"{counts['unconfirmed']} unconfirmed."
    )
