"""`matcher policies`: the policy registry as a table or as JSON."""

from __future__ import annotations

import json

import click

from matcher.policies import REGISTRY


@click.command("policies")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A table, or JSON for programs.",
)
def list_policies(output_format: str) -> None:
    """List the matching policies: name, whether the answer is exact, what it does.

    `hours`: whether it stays exact when clients need different hours a week."""
    if output_format == "json":
        rows = [
            {
                "name": p.name,
                "exact": p.exact,
                "description": p.description,
                "exact_in_hours": p.exact_in_hours,
                "in_hours": p.in_hours,
            }
            for p in REGISTRY
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(p.name) for p in REGISTRY)
    click.echo(f"{'policy':<{width}}  exact  hours  what it does")
    for p in REGISTRY:
        exact, in_hours = ("yes" if flag else "no" for flag in (p.exact, p.exact_in_hours))
        click.echo(f"{p.name:<{width}}  {exact:<5}  {in_hours:<5}  {p.description}")
    click.echo(
        "\nhours: still exact when clients need different hours a week (equal hours count"
        " as places); `--format json` says how each policy treats them."
    )
