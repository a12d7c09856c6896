print("abc" < "abd", "abc" < "ab", "" < "a", "Z" < "a", "abc" == "abc", "a" != "b", "b" > "abc")
print(sorted(["banana", "Apple", "cherry", "apple", "Banana"]), max("hello"), min("hello"))
