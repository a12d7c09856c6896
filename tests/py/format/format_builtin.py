print(format(42), format(42, "05d"), format(3.5, ".3f"), format("x", ">3"), format(255, "#x"), format(True), format(None))
print(format(12345.678, ",.1f"), format(-3, "+"), format(0.5, "%"), format(10 ** 20, ","))
