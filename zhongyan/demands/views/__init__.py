"""Pages of the demands module: load through the scope (hidden -> 404), authorise (visible but
not allowed -> 403), call the service, render or redirect."""
