"""Files the program ships: fonts with their licences, the sample report.

Installed as the package ``ziping_resources`` (see ``pyproject.toml``) and read
through ``models/resources.py``; this file only makes the folder a package.
"""
