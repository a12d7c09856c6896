class Log:
    def __setattr__(self, name, value):
        print("setattr", name, value)
        super().__setattr__(name, value * 2)
    def __getattribute__(self, name):
        if name == "magic":
            return "MAGIC"
        return super().__getattribute__(name)
    def __delattr__(self, name):
        print("delattr", name)
        super().__delattr__(name)
o = Log()
o.x = 5
print(o.x, o.magic)
del o.x
print(hasattr(o, "x"))
