x: int = 3
y: list[int]
(z): int = 4
a.b: str = 'x'
a[0]: int
def f():
    v: int
    w: float = 1.5
