import pkg_helper
from pkg_helper import sub
from pkg_helper.sub import shout
print(pkg_helper.NAME, sub.shout("hi"), shout("x"))
