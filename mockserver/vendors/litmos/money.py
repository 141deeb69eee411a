"""Decimals as Litmos writes them: two places in XML (`49.00`) and as JSON numbers (`49.00`)."""

from __future__ import annotations


class Money:
    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = round(float(value), 2)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __str__(self) -> str:
        return f"{self.value:.2f}"
