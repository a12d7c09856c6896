for s in ("3.14", "-2.5e3", " 1e-7 ", "1_000.5", ".5", "5.", "+0.0", "-0.0", "1E5", "0x10" if False else "16"):
    print(repr(float(s)))
for s in ("abc", "", "1.2.3", "1e", "nan1"):
    try:
        float(s)
    except ValueError as e:
        print("ValueError:", e)
