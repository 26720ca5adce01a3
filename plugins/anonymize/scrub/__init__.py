"""The scrubbing library: rule tables, header policy, HTML/link/text scrubbers, image parsers, findings.

It never imports Pelican or git, so the plugin, the desk and any other tool can scrub with it.
"""
