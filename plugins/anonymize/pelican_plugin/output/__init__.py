"""Steps over the written output: published images, sitemap days, file times, the search index."""
