class C:
    pass
c = C()
try:
    c.missing
except AttributeError as e:
    print("AttributeError:", e)
try:
    C.missing
except AttributeError as e:
    print("AttributeError:", e)
try:
    (5).nope
except AttributeError as e:
    print("AttributeError:", e)
