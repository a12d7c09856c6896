while x:
    x -= 1
while True:
    if x:
        break
    else:
        continue
while a:
    pass
else:
    done()
