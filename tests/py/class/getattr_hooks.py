class Dyn:
    def __init__(self):
        self.real = 1
    def __getattr__(self, name):
        if name.startswith("auto_"):
            return name[5:]
        raise AttributeError(f"no attribute {name!r}")
d = Dyn()
print(d.real, d.auto_hello, getattr(d, "auto_x"), hasattr(d, "other"), getattr(d, "other", "dflt"))
try:
    d.other
except AttributeError as e:
    print("AttributeError:", e)
