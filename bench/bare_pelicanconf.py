"""Bare Pelican for comparison: default theme, no plugins, same corpus layout."""

PATH = "content"
ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
TIMEZONE = "UTC"
SITENAME = "Bare"
PLUGINS = []
LOAD_CONTENT_CACHE = False
FEED_ALL_ATOM = "feeds/all.atom.xml"
