s = """line one
  line two
line "three" ends"""
print(s)
print(len(s.splitlines()))
t = '''a'b'''
print(t)
