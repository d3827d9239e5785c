# Build and test plumbing for Kenshu (GNU make).
#
#   make deps       Debian -dev packages the Swift build links against
#   make test-deps  deps + browser, fonts, zbar, java, hugo; .venv with e2e/requirements.txt
#   make build      swift build (debug)
#   make output     regenerate Output/ with the debug build
#   make serve      build, then serve the site on http://127.0.0.1:8080
#   make test       Swift tests, Output/ staleness check, Python browser/validator suite
#   make handbook   the training handbook (HTML, PNG, PDF, PowerPoint) into Output/handbook/
#   make bench      bench/build.sh

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

SWIFT   ?= swift
PYTHON3 ?= python3
KENSHU  := .build/debug/kenshu
VENV    := .venv
VENV_STAMP := $(VENV)/.requirements-stamp

# sudo only when not root (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

DEPS_PKGS := libcmark-dev libqrencode-dev libsqlite3-dev pkg-config
TEST_PKGS := chromium fonts-noto-cjk zbar-tools hugo swaks curl poppler-utils libreoffice-impress
# java runs the Nu HTML Checker (vnu.jar); any java on PATH will do.
JAVA_PKGS := $(if $(shell command -v java 2>/dev/null),,default-jre-headless)
# `python3 -m venv` needs ensurepip; Debian's python3 ships it separately.
VENV_PKGS := $(if $(shell $(PYTHON3) -c 'import ensurepip, venv' 2>/dev/null && echo ok),,python3-venv)

# $(call apt_install,PACKAGES): install those not already installed;
# `apt-get update` runs once, and only if something is missing.
define apt_install
missing=""; \
for p in $(1); do \
  dpkg -s "$$p" 2>/dev/null | grep '^Status: install ok installed' >/dev/null || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  echo "apt-get install:$$missing"; \
  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
fi
endef

.NOTPARALLEL:
.PHONY: all deps test-deps handbook-deps build output serve handbook test swift-test check-output pytest fuzz bench clean-venv

all: build

deps:
	@$(call apt_install,$(DEPS_PKGS))

# One apt_install over the union, so `apt-get update` runs at most once.
test-deps: $(VENV_STAMP)
	@$(call apt_install,$(DEPS_PKGS) $(TEST_PKGS) $(JAVA_PKGS) $(VENV_PKGS))
	@command -v java >/dev/null || { echo "java not found after install" >&2; exit 1; }

# A changed requirements file gets a fresh venv, so nothing stale lingers in it.
$(VENV_STAMP): e2e/requirements.txt
	@$(call apt_install,$(VENV_PKGS))
	rm -rf $(VENV)
	$(PYTHON3) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check -r e2e/requirements.txt
	@touch $@

build: deps
	$(SWIFT) build

output: build
	$(KENSHU) build

serve: build
	$(KENSHU) serve

# The handbook drives Debian's Chromium (with the Japanese fonts) over the DevTools protocol.
HANDBOOK_PKGS := chromium fonts-noto-cjk
handbook-deps:
	@$(call apt_install,$(DEPS_PKGS) $(HANDBOOK_PKGS))

handbook: handbook-deps build
	$(KENSHU) handbook --pptx

test: test-deps swift-test check-output pytest fuzz

swift-test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# Output/ is committed; a fresh build must reproduce it byte for byte.
check-output: build
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(KENSHU) build --output "$$tmp/out"; \
	if ! diff -r -x handbook "$$tmp/out" Output > "$$tmp/diff.txt"; then \
	  head -n 60 "$$tmp/diff.txt"; \
	  echo "Output/ is stale: run make output and commit" >&2; \
	  exit 1; \
	fi; \
	echo "Output/ is up to date"

# pytest's exit code 5 (no tests collected) is a failure too, like any non-zero code.
pytest: test-deps
	@rc=0; $(VENV)/bin/python -m pytest -q e2e/ || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; fi; \
	exit $$rc

bench: build
	bash bench/build.sh

clean-venv:
	rm -rf $(VENV)

# libFuzzer on the mail sink's parsers (Fuzz/ is its own package: its targets link only with
# -sanitize=fuzzer). CI runs each briefly; for a real campaign: make fuzz FUZZ_SECONDS=3600
FUZZ_SECONDS ?= 15
# SwiftPM keeps a path dependency's file list from the first build, so Fuzz/.build starts over
# whenever a file is added to or removed from Sources/.
fuzz: deps
	@sources=$$(find Sources -type f | sort | cksum); \
	  if [ "$$(cat Fuzz/.build/kenshu-sources 2>/dev/null)" != "$$sources" ]; then \
	    rm -rf Fuzz/.build; mkdir -p Fuzz/.build; echo "$$sources" > Fuzz/.build/kenshu-sources; fi
	cd Fuzz && $(SWIFT) build -Xswiftc -sanitize=fuzzer,address
	@for target in FuzzSMTPCommand:smtp FuzzMIMEMessage:mime; do \
	  name=$${target%%:*}; seeds=$${target##*:}; work=$$(mktemp -d); \
	  cp Fuzz/corpus/$$seeds/* "$$work/"; \
	  echo "fuzzing $$name for $(FUZZ_SECONDS) s"; \
	  Fuzz/.build/debug/$$name -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=1 "$$work" 2>&1 | grep -E "^(Done|stat::number_of_executed_units|==[0-9]+==ERROR)|SUMMARY" ; \
	  status=$${PIPESTATUS[0]}; rm -rf "$$work"; \
	  [ "$$status" = 0 ] || { echo "$$name found a crash (exit $$status)"; exit 1; }; \
	done
