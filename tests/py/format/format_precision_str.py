print(f"{'hello world':.5}|{'hello':10.3}|{'hi':>{5}.{1}}|")
print("{:.3}".format("abcdef"), "{:.3}".format(3.14159))
