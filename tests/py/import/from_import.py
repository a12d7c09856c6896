from mod_helper import double, VALUE
from mod_helper import Greeter as G
print(double(VALUE), G("x").greet())
