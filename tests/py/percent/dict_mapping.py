print("%(name)s has %(n)03d items" % {"name": "box", "n": 5})
print("%(a)s %(a)r" % {"a": "x"})
