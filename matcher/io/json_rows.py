"""A JSON file as rows: a list of objects, parsed one item at a time so problems have a row.

The standard parser accepts things a list of clients never needs and some that break what
comes after it: a key given twice (it keeps the last value without a word), integers of
thousands of digits (converting them fails), lists nested thousands deep (RecursionError).
Each becomes a Problem on the item's row, and the item is not validated further.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Final

from matcher.errors import InputError, Problem

MAX_NUMBER_DIGITS: Final = 100
MAX_DEPTH: Final = 20  # a row is an object of values and lists of values: depth 2 is enough
_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")

Rows = Iterator[tuple[int, dict[str, Any]]]


class _LongNumber:
    """Stands in for a number written with too many digits, so its key can be named."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class _Parser:
    """json.JSONDecoder with hooks that note problems instead of failing or losing data."""

    def __init__(self) -> None:
        self.decoder = json.JSONDecoder(
            object_pairs_hook=self._object, parse_int=self._int, parse_float=self._float
        )
        self.found: list[tuple[str | None, str]] = []  # (key, message) in the current item
        self.long_numbers = 0
        self.named_long_numbers = 0

    def parse(self, text: str, index: int) -> tuple[Any, int]:
        self.found, self.long_numbers, self.named_long_numbers = [], 0, 0
        value, end = self.decoder.raw_decode(text, index)
        if self.long_numbers > self.named_long_numbers:
            self.found.append((None, _long_message()))
        if _depth_over(value, MAX_DEPTH):
            self.found.append((None, _deep_message()))
        return value, end

    def _int(self, text: str) -> int | _LongNumber:
        if len(text) > MAX_NUMBER_DIGITS:
            self.long_numbers += 1
            return _LongNumber(text)
        return int(text)

    def _float(self, text: str) -> float | _LongNumber:
        if len(text) > MAX_NUMBER_DIGITS:
            self.long_numbers += 1
            return _LongNumber(text)
        return float(text)

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for key, value in pairs:
            if key in item:
                if (key, _TWICE) not in self.found:
                    self.found.append((key, _TWICE))
                continue
            if isinstance(value, _LongNumber):
                self.named_long_numbers += 1
                self.found.append((key, _long_message()))
            elif isinstance(value, str) and "\0" in value:
                self.found.append((key, "contains a NUL character (\\u0000), which no text holds"))
            item[key] = value
        return item


_TWICE: Final = "appears twice in one object; which value is meant?"


def _long_message() -> str:
    return f"holds a number of more than {MAX_NUMBER_DIGITS} digits"


def _deep_message() -> str:
    return f"lists or objects are nested more than {MAX_DEPTH} deep"


def _depth_over(value: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit`; without recursion, so any depth."""
    level = [value]
    for _ in range(limit):
        level = [
            child
            for container in level
            if isinstance(container, list | dict)
            for child in (container.values() if isinstance(container, dict) else container)
        ]
        if not any(isinstance(child, list | dict) for child in level):
            return False
    return True


def json_rows(source: str, text: str, *, max_columns: int) -> tuple[list[str], Rows, list[Problem]]:
    """(keys in order of first use, rows, problems filled as the rows are read).

    Raises InputError for what makes the whole file unreadable.
    """
    parser = _Parser()
    start = _WHITESPACE.match(text, 0)
    index = start.end() if start else 0
    if not text.startswith("[", index):
        value = _whole(source, parser, text, index)
        raise _file_error(source, f"must be a list of objects, one per row (got {kind(value)})")
    items: list[tuple[Any, list[tuple[str | None, str]]]] = []
    index = _skip(text, index + 1)
    if text.startswith("]", index):
        index += 1
    else:
        while True:
            row = len(items) + 1
            try:
                value, index = parser.parse(text, index)
            except json.JSONDecodeError as error:
                raise _syntax_error(source, error) from None
            except RecursionError:
                raise _file_error(source, _deep_message(), row) from None
            items.append((value, parser.found))
            index = _skip(text, index)
            if text.startswith(",", index):
                index = _skip(text, index + 1)
            elif text.startswith("]", index):
                index += 1
                break
            else:
                raise _syntax_error(
                    source, json.JSONDecodeError("Expecting ',' delimiter", text, index)
                )
    if _skip(text, index) < len(text):
        raise _syntax_error(source, json.JSONDecodeError("Extra data", text, _skip(text, index)))
    headers: dict[str, None] = {}
    for value, _ in items:
        if isinstance(value, dict):
            headers.update(dict.fromkeys(value))
    if len(headers) > max_columns:
        message = (
            f"the objects use {len(headers)} different keys; at most {max_columns} can be read"
        )
        raise _file_error(source, message)
    problems: list[Problem] = []
    return list(headers), _objects(source, items, problems), problems


def _whole(source: str, parser: _Parser, text: str, index: int) -> Any:
    try:
        value, end = parser.parse(text, index)
    except json.JSONDecodeError as error:
        raise _syntax_error(source, error) from None
    except RecursionError:
        raise _file_error(source, _deep_message()) from None
    if _skip(text, end) < len(text):
        raise _syntax_error(source, json.JSONDecodeError("Extra data", text, _skip(text, end)))
    return value


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


def _objects(
    source: str, items: list[tuple[Any, list[tuple[str | None, str]]]], problems: list[Problem]
) -> Rows:
    for row, (item, found) in enumerate(items, start=1):
        if found:
            problems.extend(Problem(source, row, key, message) for key, message in found)
        elif isinstance(item, dict):
            yield row, item
        else:
            problems.append(Problem(source, row, None, f"must be an object (got {kind(item)})"))


def _syntax_error(source: str, error: json.JSONDecodeError) -> InputError:
    message = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    return _file_error(source, message)


def _file_error(source: str, message: str, row: int | None = None) -> InputError:
    return InputError([Problem(source, row, None, message)])


def kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"
