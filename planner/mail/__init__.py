"""Email (issue #10): messages written to an outbox inside the change that causes them, sent
after commit by a delivery loop over an SMTP transport (``planner.mail.transport``)."""
