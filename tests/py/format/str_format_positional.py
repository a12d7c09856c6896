print("{} and {}".format("a", "b"), "{1} {0} {1}".format("x", "y"), "{0}{0}".format("ab"))
print("{:>5}|{:<5}|{:^5}|".format(1, 2, 3), "{{}} {}".format(7))
