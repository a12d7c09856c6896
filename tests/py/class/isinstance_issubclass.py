class A: pass
class B(A): pass
class C: pass
b = B()
print(isinstance(b, A), isinstance(b, C), isinstance(b, (C, A)), issubclass(B, A), issubclass(A, B), issubclass(B, (C, object)))
print(isinstance(3, (int, float)), isinstance(True, int), issubclass(bool, int), isinstance([], object), issubclass(type, object))
try:
    isinstance(1, 2)
except TypeError as e:
    print("TypeError:", e)
