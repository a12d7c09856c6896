print(ord("A"), ord("a"), ord("0"), ord("€"), chr(65), chr(8364), repr(chr(0)))
for bad in (-1, 0x110000):
    try:
        chr(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    ord("ab")
except TypeError as e:
    print("TypeError:", e)
