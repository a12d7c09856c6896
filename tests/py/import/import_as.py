import mod_helper as mh
import math as m
print(mh.double(4), m.floor(2.5), mh.__name__)
