from mod_helper import *
print(double(3), VALUE, "_private" in dir())
