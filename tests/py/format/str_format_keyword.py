print("{name} is {age}".format(name="Al", age=30), "{0} {x}".format(1, x=2))
d = {"a": 1, "b": 2}
print("{a}-{b}".format(**d), "{0[a]} {0[b]}".format(d), "{x[1]}".format(x=[5, 6]))
