"""Reading contact files and journal notes into typed objects (front matter, log, links),
with every problem located."""
