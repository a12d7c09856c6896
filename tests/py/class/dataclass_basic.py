from dataclasses import dataclass, field
@dataclass
class Item:
    name: str
    price: float = 0.0
    tags: list = field(default_factory=list)
a = Item("pen", 1.5)
b = Item("pen", 1.5)
print(a, a == b, Item("x"))
@dataclass(frozen=True, order=True)
class P:
    x: int
    y: int
print(sorted([P(2, 1), P(1, 5), P(1, 2)]))
