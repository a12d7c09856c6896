d = {"a": 1, "b": 2}
for k, v in d.items():
    print(k, v)
pairs = [(1, "one"), (2, "two")]
nums, names = zip(*pairs)
print(nums, names)
