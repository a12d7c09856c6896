try:
    pass
except:
    pass
try:
    a()
except E:
    b()
except (F, G) as e:
    c()
else:
    d()
finally:
    f()
try:
    pass
finally:
    pass
