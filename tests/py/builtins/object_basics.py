o = object()
print(type(o).__name__, o == o, o != object(), isinstance(o, object), object.__name__)
try:
    o.x = 1
except AttributeError as e:
    print("AttributeError:", e)
