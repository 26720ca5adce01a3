"""Pelican settings for the Unsigned sample site (development builds)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent

SITENAME = "Unsigned"
SITESUBTITLE = "Healthcare, from the people who cannot sign their names"
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]

ARTICLE_URL = "essays/{slug}/"
ARTICLE_SAVE_AS = "essays/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_SAVE_AS = "tags/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

# Feeds: all essays in one Atom feed and one RSS feed, per category too; never an author feed.
# Feed readers poll these files: the newest 50 essays (the archives page lists every one) keep
# each poll small, where a full archive of a large site would be megabytes fetched again and again.
FEED_DOMAIN = "https://unsigned.example"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_MAX_ITEMS = 50
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TAG_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = True

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives", "search", "prepare", "404", "robots"]
SEARCH_SAVE_AS = "search/index.html"
PREPARE_SAVE_AS = "prepare/index.html"  # "Prepare your essay": cleans, checks and seals on the writer's device
ROBOTS_SAVE_AS = "robots.txt"
# 404.html is written at the root; the web server serves it for unknown paths.
SUMMARY_MAX_LENGTH = 50

PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [
    "anonymize",
    "pelican.plugins.series",
    "pelican.plugins.neighbors",
    # related essays: the anonymize plugin's related.py (Pelican's related_posts choice, ranked once per set of tags)
    "pelican.plugins.sitemap",
]
SITEMAP = {"format": "xml", "exclude": ["tag/", "category/"]}
RELATED_POSTS_MAX = 3

# The pseudonym shown for every essay; editors may approve pen names here.
ANONYMIZE_PSEUDONYM = "Anonymous"
ANONYMIZE_PEN_NAMES = ["Night Float"]
ANONYMIZE_REPORT_PATH = str(ROOT / ".unsigned" / "build-report.json")

# No smarty extension: its inline patterns cost a quarter of the whole build
# (bench/results.md); essays keep the quotes their writers typed.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
    },
    "output_format": "html5",
}

# How writers send essays (any subset; listed on the submit page). A build with none set warns.
ANONYMIZE_SUBMIT_EMAIL = "essays@unsigned.invalid"  # a sample: .invalid is never delivered
ANONYMIZE_SUBMIT_SIGNAL = "unsigned_desk.01"
ANONYMIZE_SUBMIT_SECUREDROP = ""
ANONYMIZE_SUBMIT_POSTAL = ""
# The desk's public key for sealed essays. This sample key's secret half was thrown away: replace it with the
# key `invoke keygen` prints (the secret half stays outside the repository, in ANONYMIZE_DESK_IDENTITY).
ANONYMIZE_DESK_RECIPIENT = "age105yykp5zfp5vv03qfh4hd599kqt0uvcucpl7a30wl6w77rret4qs4cgecc"

DISCLAIMER = (
    "Essays on Unsigned are personal opinion, not medical advice. Details are "
    "altered to protect patients and writers."
)

RELATIVE_URLS = True
LOAD_CONTENT_CACHE = False
