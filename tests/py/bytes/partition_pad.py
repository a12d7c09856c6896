# bytes.partition/rpartition, center/ljust/rjust/zfill: results, identity of unchanged bytes, errors
class I:
    def __index__(self): return 66
print(b"a-b-c".partition(b"-"), b"a-b-c".rpartition(b"-"), b"abc".partition(b"x"), b"abc".rpartition(b"x"))
print(bytearray(b"a-b").partition(b"-"), bytearray(b"ab").rpartition(bytearray(b"z")), b"ab".partition(bytearray(b"a")))
for bad in ("-", b"", 5):
    try: b"abc".partition(bad)
    except Exception as e: print(type(e).__name__, e)
    try: b"abc".rpartition(bad)
    except Exception as e: print(type(e).__name__, e)
s = b"abc"
print(s.partition(b"z")[0] is s, s.center(2) is s)
for w in range(0, 9):
    print(b"ab".center(w, b"*"), b"abc".center(w), b"x".ljust(w, b"-"), b"x".rjust(w), bytearray(b"q").center(w))
print(b"-42".zfill(6), b"+4".zfill(4), b"7".zfill(3), b"".zfill(2), bytearray(b"-").zfill(3), b"abc".zfill(1))
for bad in [(5, b"**"), (5, "*"), ("5",), (5, 1)]:
    try: b"x".center(*bad)
    except Exception as e: print(type(e).__name__, e)
try: b"x".ljust()
except Exception as e: print(type(e).__name__, e)
print(b"x".center(I()))
