"""Settings for `invoke publish`: the development settings plus the public URL."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://unsigned.example"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
