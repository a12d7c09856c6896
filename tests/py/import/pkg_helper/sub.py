print("pkg_helper.sub loading")
def shout(s):
    return s.upper() + "!"
