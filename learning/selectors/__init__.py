"""What pages read, one module per page family: each function reads in a fixed
number of queries and returns what its page shows. Nothing here writes."""
