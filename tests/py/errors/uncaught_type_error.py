print("before")
len(5)
