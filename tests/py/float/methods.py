print((2.5).is_integer(), (3.0).is_integer(), (0.5).as_integer_ratio(), (-0.75).as_integer_ratio())
print((1.5).hex(), float.fromhex("0x1.8p1"), (0.1).hex())
print((3.7).__trunc__(), (3.0).real, (3.0).imag, (2.5).conjugate())
