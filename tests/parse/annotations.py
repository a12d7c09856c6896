def f(a: int, b: str = 'x', *c: int, d: float, **e: dict) -> bool:
    pass
def g() -> None: pass
