import a
import a.b.c
import a as b
import a.b as c, d
from a import b
from a.b import c as d, e
from . import x
from .. import y
from .m import z
from ...pkg.mod import w
from a import (b, c as d,)
from m import *
from .... import q
