"""`--policy NAME` and `matcher policies`: both read the policy registry.

The option lists the registered names in its help; an unknown name is left for the library
to refuse, so the message suggests the closest name and the exit code is 1, as for a policy
named in the config.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from matcher.policies import POLICY_NAMES, REGISTRY

F = TypeVar("F", bound=Callable[..., Any])


class PolicyChoice(click.Choice[str]):
    """Shows the registered policies (help, completion) but passes any name on."""

    name = "policy"

    def __init__(self) -> None:
        super().__init__(POLICY_NAMES)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


def policy_option(
    help: str = "How pairs are chosen (default: the config's); see `matcher policies`.",
    *names: str,
    **kwargs: Any,
) -> Callable[[F], F]:
    """`--policy`; `names` may add the parameter's name (`"policies"` for a repeatable one)."""
    kwargs.setdefault("default", None)
    return click.option("--policy", *names, type=PolicyChoice(), help=help, **kwargs)


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
