"""Email (issue #10): rendering outbox rows into MIME messages (``render.py``), handing them to
an SMTP server (``transport.py``), and the sender that runs in the server process or apart
(``sender.py``, ``python -m planner.mail``)."""
