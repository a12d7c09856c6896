if x:
	y = 1
	if y:
		z = 2
for i in x:
        pass
