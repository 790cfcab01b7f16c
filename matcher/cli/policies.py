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
    """List the matching policies: name, whether the answer is exact, what it does."""
    if output_format == "json":
        rows = [{"name": p.name, "exact": p.exact, "description": p.description} for p in REGISTRY]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(p.name) for p in REGISTRY)
    click.echo(f"{'policy':<{width}}  exact  what it does")
    for p in REGISTRY:
        click.echo(f"{p.name:<{width}}  {'yes' if p.exact else 'no ':<5}  {p.description}")
