"""The load test (`manage.py loadtest`, `make loadtest`): readers, editors and curators at once.

archive.py fills a fresh database with the demo and a generated archive and writes the plan the
people follow; locustfile.py is who they are and what they do; run.py serves the app with
gunicorn, lets locust loose on it and accounts for every save the server acknowledged.
"""
