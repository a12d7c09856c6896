z = -0.0
print(z, repr(z), abs(z), -z, 0.0 * -1, z == 0, str(-0.0 + 0.0))
print(round(-0.4), round(-0.4, 1), f"{-0.0:.1f}", "%.1f" % -0.0)
