print("x")
undefined_thing
