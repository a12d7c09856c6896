class I:
    def __index__(self):
        return 10
print(bin(I()), oct(I()), hex(I()), chr(I().__index__() + 55))
try:
    hex(1.5)
except TypeError as e:
    print("TypeError:", e)
