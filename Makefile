# The two commands of the README. Both set up .venv from the lock first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: site test lock clean bytecode

site: $(STAMP) $(NODE_STAMP) bytecode
	$(VENV)/bin/invoke build

test: $(STAMP) $(NODE_STAMP) bytecode
	$(VENV)/bin/python -m pytest

# Our own modules compiled ahead, as pip does for installed packages: every build starts several Python
# processes, and where PYTHONDONTWRITEBYTECODE is set each would compile the plugin again (~0.1 s each).
# A stale file is ignored by Python (it checks the source's time and size), so this can never run old code.
bytecode: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/python -m compileall -q plugins tasks.py bench

$(STAMP): requirements.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

# npm packages pinned with their integrity hashes: axe-core (the accessibility judge of the browser tests), and what
# the "Prepare your essay" page bundles at build time (age-encryption, libphonenumber-js, esbuild to bundle them).
$(NODE_STAMP): package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Regenerate the lock (with hashes) from requirements.in.
lock:
	$(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-find-links --no-emit-index-url -o requirements.lock requirements.in
	rm -rf .venv-lock

# The development build, the preview, reports and caches. Never a published site: `published` (a link) and
# `.sites/` (the folders it points to) are what a web server serves; `invoke clean` keeps them too.
clean:
	test -L output || rm -rf output
	rm -rf output-preview .unsigned cache .pytest_cache
