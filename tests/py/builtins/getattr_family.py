class O:
    a = 1
o = O()
print(getattr(o, "a"), getattr(o, "b", "none"), hasattr(o, "a"), hasattr(o, "b"))
setattr(o, "b", 2)
print(o.b, hasattr(o, "b"))
delattr(o, "b")
print(hasattr(o, "b"))
try:
    getattr(o, "zzz")
except AttributeError as e:
    print("AttributeError:", e)
try:
    delattr(o, "zzz")
except AttributeError as e:
    print("AttributeError:", e)
