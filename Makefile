# The two commands of README.md: `make run` and `make test`. Everything they need is installed from here.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
SANDBOX_PORT ?= 8700
# `make run CXONE_API=admin` demonstrates the Admin API backend (the sandbox's second personality).
CXONE_API ?= outbound-v2
export DJANGO_SETTINGS_MODULE ?= planner.settings

.PHONY: run scale test install lint pytest chromium migrate demo bench clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PY) not found)"; exit 1; }
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The local identity provider for trying and testing sign-on (the node oidc-provider, README "Sign-on"): installed
# from the npm registry when npm is here; `make run` starts it beside the sandbox unless SSO=0.
IDP := scripts/oidc-provider
IDP_STAMP := $(IDP)/node_modules/.package-lock.json
IDP_PORT ?= 8800
NPM := $(shell command -v npm 2>/dev/null)
SSO ?= $(if $(shell command -v node 2>/dev/null),1,0)

$(IDP_STAMP): $(IDP)/package.json $(IDP)/package-lock.json
	cd $(IDP) && npm ci --no-audit --no-fund --loglevel=error

install: $(STAMP) $(if $(NPM),$(IDP_STAMP))

# Debian's chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile

pytest: install chromium
	DJANGO_SETTINGS_MODULE=planner.settings_test $(BIN)/pytest -q $(PYTEST_ARGS)

test: lint pytest

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

# Starts web, qcluster and the CXone sandbox together (Procfile) on http://127.0.0.1:8000 with demo data; Ctrl-C
# stops them all (planner/procs.py: SIGTERM to each, then SIGKILL to any process group still alive, no husk).
# `exec`: the supervisor is make's own child, so the SIGTERM make forwards reaches it (not a shell that would die
# alone); should make die some other way, the supervisor sees its parent gone and stops everything too.
# The web process never waits for CXone: the workers sync at start and every 5 minutes, all processes sharing
# one CXone rate limit (CXONE_RATE_LIMIT / CXONE_BURST, the sandbox's 5 req/s burst 20 by default).
# With SSO=1 (the default when node is installed) the local identity provider runs too (Procfile.sso) and the
# login page offers "Sign in with the demo identity provider" beside the passwords (README, "Sign-on").
SSO_ENV = OIDC_ISSUER=http://127.0.0.1:$(IDP_PORT) OIDC_CLIENT_ID=planner OIDC_CLIENT_SECRET=demo-oidc-secret \
	  OIDC_SCOPES='openid email profile groups' OIDC_PROVIDER_NAME='the demo identity provider' \
	  OIDC_ROLE_GROUPS='planner=cc-planners;supervisor=cc-supervisors;manager=cc-managers;admin=cc-admins'

run: install migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py setup_schedules
	exec env DEBUG=1 CXONE_BASE_URL=http://127.0.0.1:$(SANDBOX_PORT) CXONE_CLIENT_ID=demo CXONE_CLIENT_SECRET=demo-secret \
	  CXONE_API=$(CXONE_API) CXONE_ACCESS_KEY_ID=demo-key CXONE_ACCESS_KEY_SECRET=demo-key-secret \
	  WFM_WEBHOOK_URL=http://127.0.0.1:$(SANDBOX_PORT)/wfm/webhook WFM_WEBHOOK_SECRET=whsec_cGxhbm5lci1kZW1vLXdlYmhvb2stc2lnbmluZy1rZXk= \
	  $(if $(filter 1,$(SSO)),$(SSO_ENV) IDP_PORT=$(IDP_PORT)) \
	  SANDBOX_PORT=$(SANDBOX_PORT) $(BIN)/python -m planner.procs Procfile $(if $(filter 1,$(SSO)),Procfile.sso)

# The scale-out topology without Docker: gunicorn (3 processes), two qcluster workers on PostgreSQL + Redis and
# the CXone sandbox (Procfile.scale, run by planner/procs.py; Ctrl-C stops every process). README, "Scale-out".
scale: install
	./scripts/scale

bench: install
	$(BIN)/python bench/conflicts.py --campaigns 2000 --days 28
	$(BIN)/python bench/conflicts.py --campaigns 10000 --days 90 --pairwise-sample 1000
	$(BIN)/python bench/client.py
	$(BIN)/python bench/webhooks.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/sync.py --api admin
	$(BIN)/python bench/charts.py --campaigns 2000 --days 7

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm test-artifacts .cluster-cache* $(IDP)/node_modules
