a = 'single'
b = "double"
c = '''triple
line'''
d = """also
triple"""
e = 'it\'s'
f = "say \"hi\""
g = 'both \' and "'
h = ''
