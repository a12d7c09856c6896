s = {"pear", "apple", "fig"}
s.add("kiwi")
print(sorted(s), len(s), "fig" in s)
