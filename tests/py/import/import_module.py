import mod_helper
print(mod_helper.VALUE, mod_helper.double(21), mod_helper.__name__)
print(mod_helper.Greeter("bob").greet())
