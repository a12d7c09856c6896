for s, base in [("abc", 10), ("", 10), ("1.5", 10), ("12", 2), ("0x", 16), ("1__0", 10), ("_1", 10)]:
    try:
        print(int(s, base))
    except ValueError as e:
        print("ValueError:", e)
