import mod_helper
import mod_helper
import sys
print(mod_helper.LOAD_COUNT, "mod_helper" in sys.modules, sys.modules["mod_helper"] is mod_helper)
