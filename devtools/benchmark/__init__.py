"""`manage.py bench`: our pages measured against references timed in the same run.

A dev tool that spans every stage (it builds projects, runs the wizard, saves decisions and
renders reports), so it lives in reports, the last stage, which may import all the others.
Nothing in the app imports it.
"""
