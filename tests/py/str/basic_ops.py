s = "hello"
print(s + " world", s * 3, 3 * "ab", "" * 5, s * 0, s * -1)
print(len(s), s[0], s[-1], s[1:3], s[::-1], s[::2])
print("ell" in s, "xyz" in s, "" in s, "h" not in s)
