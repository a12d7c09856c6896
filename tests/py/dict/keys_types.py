d = {1: "int", "1": "str", (1,): "tuple", None: "none", 2.5: "float", True: "bool?"}
print(d)
print(d[1], d[1.0], d[True])
