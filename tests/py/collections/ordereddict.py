from collections import OrderedDict
o = OrderedDict()
o["b"] = 1; o["a"] = 2; o["c"] = 3
o.move_to_end("b")
print(o, list(o), o.popitem(), o.popitem(last=False), o)
