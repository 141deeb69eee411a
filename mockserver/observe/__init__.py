"""What the server tells about itself while it runs: access lines, logging set-up, metrics.

The observe middleware (middleware/observe.py) hands each finished vendor request to the access
log and the metrics; nothing here knows a vendor or reaches back into the request path."""
