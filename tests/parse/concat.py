a = 'a' 'b' 'c'
b = ('x'
     'y')
c = 'p' "q" '''r'''
d = u'u' 'v'
