"""The Pelican plugin, glue only: signals run ordered steps declared in plugin.py; the scrubbing is the library's."""
