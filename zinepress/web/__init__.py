"""`make_zine.py serve`: a local web page to localize, preview and download the handouts."""
