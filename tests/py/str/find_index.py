s = "hello world hello"
print(s.find("hello"), s.find("hello", 1), s.rfind("hello"), s.find("xyz"), s.find(""), s.rfind(""))
print(s.index("world"), s.rindex("l"), s.find("l", 5, 10), s.find("o", -5))
try:
    s.index("xyz")
except ValueError as e:
    print("ValueError:", e)
