print("mod_helper loading")
LOAD_COUNT = 1
VALUE = 21
_private = "hidden"
MAIN_RAN = False
def double(x):
    return x * 2
class Greeter:
    def __init__(self, name):
        self.name = name
    def greet(self):
        return "hello " + self.name
if __name__ == "__main__":
    MAIN_RAN = True
