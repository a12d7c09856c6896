class C:
    pass
print(C, type(C), type(type), int, str, type(None), type(len).__name__)
class Outer:
    class Inner:
        pass
print(Outer.Inner, Outer.Inner.__qualname__, Outer.Inner.__name__)
