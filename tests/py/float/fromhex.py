# float.fromhex grammar, rounding, overflow/underflow, errors; float.hex round-trips
cases = ["0x1.8p1", "1.8p1", "  -0X1P-1074 ", "0x1p-1075", "0x1.0000000000001p-1075", "0x3p-1076", "inf", "-Infinity",
         "nan", "+NaN", "0x1.fffffffffffffp1023", "0x1.fffffffffffff8p1023", "0x1p1024", "-0x1p5000",
         "0x", "0x.", ".8", "0x.8", "8.", "1p", "p1", "0x1p+", "0x1p+3", "1 2", "", "   ", "0xg", "-0x0p0",
         "0x123456789abcdef0123456789p-20", "0x1.8p1\n", "infx", "-", "0x0p99999999999999999999999",
         "0x1p-99999999999999999999", "0x1.0000000000000800000000001p0", "0x1.00000000000008p0", "0x1.00000000000018p0",
         "abc", "ABC.DEp-3", "1_0", "\u00a01", "0x1\x00"]
for c in cases:
    try:
        v = float.fromhex(c)
        print(repr(c), repr(v), v.hex())
    except Exception as e:
        print(repr(c), type(e).__name__, e)
for v in [0.0, -0.0, 1.5, 0.1, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, -123.456, 1e-300]:
    h = v.hex()
    print(h, float.fromhex(h) == v)
class F(float): pass
print(type(F.fromhex("0x1p1")).__name__, F.fromhex("0x1p1"))
for bad in [(5,), (b"1",), (), ("1", "2")]:
    try: float.fromhex(*bad)
    except Exception as e: print(type(e).__name__, e)
try: float.fromhex(s="1")
except Exception as e: print(type(e).__name__, e)
print((1.5).fromhex("0x2p0"))
