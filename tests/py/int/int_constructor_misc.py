print(int(), int("  12  "), int(b"34") if False else int("34"), int(True))
class N:
    def __index__(self):
        return 7
    def __int__(self):
        return 9
print(int(N()), hex(N()), bin(N()), [10, 20, 30, 40, 50, 60, 70, 80][N()])
print(int("10", base=3))
