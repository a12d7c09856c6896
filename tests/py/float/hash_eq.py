print(hash(1.0) == hash(1), hash(2.5) == hash(2.5), hash(0.0) == hash(-0.0))
d = {1: "int", 1.0: "float"}
print(d, len(d))
