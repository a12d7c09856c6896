print(0x1F, 0o17, 0b1011, 1_000_000, 0x_dead_beef, 0b_1_0)
print(0XAB, 0O7, 0B1)
