"""The scenario library: one TOML file per scenario (see the README, "Scenarios").

Shipped inside the package as `matcher._scenario_files` (pyproject.toml) and read with
`matcher.scenarios.load(name)`; this file only makes the folder a package.
"""
