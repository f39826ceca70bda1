"""The decision flowchart: definitions as data, validated, evaluated and drawn.

The engine modules here import nothing from Django; only apps.py and the management
commands do, as thin wrappers.
"""
