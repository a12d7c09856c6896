import mod_helper
print(__name__, mod_helper.MAIN_RAN)
