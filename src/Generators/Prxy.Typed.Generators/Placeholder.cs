// placeholder replaced by the generator work
