# SPDX-License-Identifier: Apache-2.0
"""Parameter types for ospo's domain values: a bad value is a usage error (exit 2).

Each converts the text of an option into the value the Python API takes (a profile, a
severity, a byte count, a day, a checked SPDX expression), and imports what it needs only
when an option of its type is given.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from importlib import import_module
from pathlib import Path
from typing import Any

import click


class _EnumChoice(click.Choice[str]):
    """One of a closed set of names, converted to its member of ``module:Enum``.

    The names are listed here, so that building the command imports no model; the enum
    is imported when a value is given.
    """

    def __init__(self, enum: str, names: tuple[str, ...]) -> None:
        super().__init__(names)
        self._enum = enum

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> StrEnum:
        module, _, name = self._enum.partition(":")
        members: type[StrEnum] = getattr(import_module(module), name)
        if isinstance(value, members):
            return value
        return members(super().convert(value, param, ctx))


class ProfileType(_EnumChoice):
    """How the product ships: ``internal``, ``saas``, ``binary`` or ``source``."""

    name = "profile"

    def __init__(self) -> None:
        super().__init__("ospo.policy.model:Profile", ("internal", "saas", "binary", "source"))


class FailOnType(_EnumChoice):
    """The lowest severity that fails the gate: ``error`` or ``warning``."""

    name = "severity"

    def __init__(self) -> None:
        super().__init__("ospo.evaluation:Severity", ("error", "warning"))


class DecisionType(_EnumChoice):
    """An OSRB decision: ``approve`` or ``deny``."""

    name = "decision"

    def __init__(self) -> None:
        super().__init__("ospo.evaluation:Decision", ("approve", "deny"))


class RoleType(_EnumChoice):
    """Who decides: a role of the review board."""

    name = "role"

    def __init__(self) -> None:
        super().__init__(
            "ospo.evaluation:Role", ("engineering", "product", "legal", "compliance", "osrb")
        )


class BoardRoleType(_EnumChoice):
    """A role of the review board that signs a release."""

    name = "role"

    def __init__(self) -> None:
        super().__init__("ospo.evaluation:Role", ("engineering", "product", "legal", "compliance"))


class SignoffType(_EnumChoice):
    """A board member's decision on a release: ``approve``, ``approve-with-conditions`` or
    ``reject``."""

    name = "decision"

    def __init__(self) -> None:
        super().__init__(
            "ospo.signoff:SignoffDecision", ("approve", "approve-with-conditions", "reject")
        )


class SizeType(click.ParamType[int]):
    """A size in bytes, written ``5MB``, ``512k``, ``1.5GiB`` or as a plain count."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        from ospo.config import parse_size

        try:
            return parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class ShardType(click.ParamType[tuple[int, int]]):
    """A shard of a scan, ``I/N`` (shard I of N, counted from 1)."""

    name = "shard"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        from ospo.shards import parse_shard

        try:
            return parse_shard(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class DateType(click.ParamType[date]):
    """A day, written ``YYYY-MM-DD``; with ``within``, one of the days from the first to the
    last of that pair."""

    name = "date"

    def __init__(self, within: tuple[date, date] | None = None) -> None:
        self.within = within

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value)
        try:
            if len(text) != 10 or text[4] != "-" or text[7] != "-":
                raise ValueError
            day = date.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a date (YYYY-MM-DD)", param, ctx)
        if self.within is not None and not self.within[0] <= day <= self.within[1]:
            first, last = self.within
            self.fail(f"{text!r} is not between {first} and {last}", param, ctx)
        return day


class SpdxExpressionType(click.ParamType[str]):
    """A valid SPDX license expression (``MIT OR Apache-2.0``), kept as written."""

    name = "expression"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ospo import licensing

        text = str(value).strip()
        checked = licensing.check(text)
        if not checked.valid:
            self.fail(
                f"{value!r} is not an SPDX license expression: {'; '.join(checked.errors)}",
                param,
                ctx,
            )
        return text


class PositiveNumber(click.ParamType[int | float]):
    """A whole number of at least 1, or (``fraction=True``) any number above 0."""

    def __init__(self, *, fraction: bool = False) -> None:
        self.fraction = fraction
        self.name = "number" if fraction else "integer"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number: int | float = value
        else:
            try:
                number = float(value) if self.fraction else int(value)
            except ValueError:
                what = "a number" if self.fraction else "a whole number"
                self.fail(f"{value!r} is not {what}", param, ctx)
        if self.fraction and number <= 0:
            self.fail(f"{value!r} is not greater than 0", param, ctx)
        if not self.fraction and number < 1:
            self.fail(f"{value!r} is not at least 1", param, ctx)
        return number


#: A file to read or write: anything but an existing directory.
FILE = click.Path(dir_okay=False, path_type=Path)
#: A file or directory that exists.
EXISTING = click.Path(exists=True, path_type=Path)
#: A path as given (its existence is the command's business).
ANY_PATH = click.Path(path_type=Path)

#: ``--offline``, for every command that judges a product (the registry rules).
OFFLINE = click.option(
    "--offline",
    is_flag=True,
    help="Ask no package registry; the registry rules use only what the cache keeps.",
)

#: ``--policy FILE``, for every command that judges a product.
POLICY = click.option(
    "--policy",
    "policy_path",
    type=FILE,
    metavar="FILE",
    help="Policy file [default: policy: in .ospo.yml, else the shipped default].",
)

#: ``--waivers FILE``, for every command that applies the board's decisions.
WAIVERS = click.option(
    "--waivers",
    "waivers_path",
    type=FILE,
    metavar="FILE",
    help="OSRB decisions [default: .ospo/waivers.yml if it exists].",
)

#: ``--profile NAME``, for every command that judges how the product ships.
PROFILE = click.option(
    "--profile",
    type=ProfileType(),
    help="How the product ships [default: profile: in .ospo.yml, else the policy's].",
)
