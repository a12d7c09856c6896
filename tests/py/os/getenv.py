import os
print(os.getenv("PATH") is not None, os.getenv("STMVM_SURELY_UNSET_VAR"), os.getenv("STMVM_SURELY_UNSET_VAR", "dflt"), "PATH" in os.environ)
