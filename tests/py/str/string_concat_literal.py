s = "abc" "def" 'ghi'
print(s, ("x"
    "y"))
