# sgwhmcs: `make test` runs every test, `make demo` shows the module working end to end.
# Both install missing Debian prerequisites first when run as root, or name them; `make install`
# installs none (it needs only the built extension).

PHP        ?= php
EXT        := $(CURDIR)/target/release/libsgwhmcs.so
SGSIM      := $(CURDIR)/target/release/sgsim
PHPWITHEXT := $(PHP) -d extension=$(EXT)
# ---- prerequisites (package) -------------------------------------------------------------------
# Two lists, each installed by tools/ensure-debs.sh when missing (as root; otherwise it names the
# apt-get line; off Debian it names what to install instead). BUILD_DEBS: what building the
# extension needs (`make deps`, before `make build`). TEST_DEBS: what only the tests, benches,
# screenshots and lint need (`make test-deps`). A production server needs neither list:
# `make install` runs no apt.
BUILD_DEBS := php8.2-cli php8.2-dev libclang-dev
TEST_DEBS  := php8.2-curl phpunit php-codesniffer nginx php8.2-fpm valgrind wrk smarty3 \
              libjs-bootstrap4 libjs-bootstrap chromium python3

.PHONY: all deps test-deps build test test-rust test-php test-stubs test-docs stubs demo lint clean
.PHONY: test-deploy test-valgrind fuzz php-fuzz bench-usage bench-lifecycle bench-scale screenshots
.PHONY: install uninstall deb test-install bench-fpm bench-inprocess notices test-notices deny lintian test-upgrade

all: build

deps:
	@bash tools/ensure-debs.sh $(BUILD_DEBS)

test-deps: deps
	@bash tools/ensure-debs.sh $(TEST_DEBS)
# ---- end of prerequisites ------------------------------------------------------------------------

# ---- builds (tools/build/, docs/builds.md) ------------------------------------------------------
# `make build`: the developer's build into target/release, what the test suites load.
# `make build PHP_CONFIG=/path/to/php-config`: instead a portable build for that PHP (glibc <= 2.28,
# stripped, checked) into target/builds/<tag>/ (tools/build/build.sh), without the test stack.
# `make builds`: one for every PHP this machine can offer (the host's, and PHP 8.4 from a Debian 13
# root). `make test-builds`: each build loads and works in its own PHP and is refused by the others
# (tests/Builds/run.sh; root).
.PHONY: builds test-builds
ifeq ($(origin PHP_CONFIG),command line)
build:
	bash tools/build/build.sh --php-config '$(PHP_CONFIG)'
else
build: deps
	cargo build --release -p sgwhmcs -p sgsim
endif

builds:
	bash tools/build/builds.sh

# (sgsim by the same command as `make build`, so nothing is rebuilt after it.)
test-builds:
	cargo build --release -p sgwhmcs -p sgsim
	SGSIM_BIN=$(SGSIM) PHP=$(PHP) timeout -k 10 300 bash tests/Builds/run.sh
# ---- end of builds -------------------------------------------------------------------------------

# The core's and the simulator's Rust tests, in the debug profile, which `make test-stubs` needs
# anyway (ext-php-rs exports the function `cargo php stubs` reads only from a build with debug
# assertions) and shares. Not in `make build`'s release profile: on a 2-core machine, compiling the
# tests optimised on top of a release build took 4 min 36 s of CPU, compiling every crate and test
# in debug from nothing 2 min 52 s, and the stub's debug build would still be needed.
test-rust: test-deps
	cargo build -p sgsim && cargo test -p sgwhmcs-core -p sgsim

test-php: build test-deps
	SGSIM_BIN=$(SGSIM) $(PHPWITHEXT) /usr/bin/phpunit -c phpunit.xml

test: test-docs test-rust test-php test-stubs test-deploy

# Every document path cited in code, tests and docs exists in the repository (cheap, no build).
test-docs:
	bash tools/check-doc-paths.sh

# The committed PHP stub matches the extension's exported functions and their docs.
test-stubs: test-deps
	bash tools/stubs.sh --check

stubs: deps
	bash tools/stubs.sh

# The extension in php-fpm (4 workers) behind nginx, two pinned TLS simulators, 400 concurrent
# module calls: no failure, no answer from the wrong server (tests/Deployment/run.sh).
test-deploy: build test-deps
	SGSIM_BIN=$(SGSIM) SGWHMCS_EXT=$(EXT) PHP=$(PHP) timeout -k 10 170 bash tests/Deployment/run.sh

# The glue suite (PHPUnit @group glue: every export, conversion and host call of src/) under
# valgrind memcheck, one process per core (tools/valgrind.sh, tests/README.md; not part of `make test`).
test-valgrind: build test-deps
	SGSIM_BIN=$(SGSIM) SGWHMCS_EXT=$(EXT) PHP=$(PHP) bash tools/valgrind.sh

# Each cargo-fuzz target for FUZZ_SECONDS (60) on a copy of its committed corpus.
fuzz: test-deps
	bash tools/fuzz.sh $(or $(FUZZ_SECONDS),60)

# Random $params and $vars through every exported PHP function (tools/php-fuzz.php), against a
# local sgsim and closed ports: PHP_FUZZ_CALLS (200000) calls, 0 throws, 0 crashes, no persistent
# memory growth: live RSS (after PHP and glibc hand back the free memory they keep) and PHP's own
# memory sampled 20 times per worker, growth after the first tenth less the largest single rise,
# so a leak fails and a one-time step of kept buffers does not. First --self-test-leak proves the
# check fails on an injected leak of 8 kB per call (in C memory, then in PHP's).
php-fuzz: build test-deps
	SGSIM_BIN=$(SGSIM) SGWHMCS_EXT=$(EXT) $(PHP) tools/php-fuzz.php --self-test-leak
	SGSIM_BIN=$(SGSIM) SGWHMCS_EXT=$(EXT) $(PHP) tools/php-fuzz.php --calls $(or $(PHP_FUZZ_CALLS),200000)

# docs/screenshots/*.png: the client area rendered with Smarty 3.1 in pages shaped like WHMCS's
# client themes Twenty-One and Nexus, and the admin's service page with the module's tab and
# buttons, photographed by headless Chromium, no network (tools/screenshots.sh).
screenshots: build test-deps
	SGSIM_BIN=$(SGSIM) SGWHMCS_EXT=$(EXT) PHP=$(PHP) bash tools/screenshots.sh

demo: build
	SGSIM_BIN=$(SGSIM) $(PHPWITHEXT) tools/demo.php

# UsageUpdate, ListAccounts, usage(), the emulated database alone and one request per service at
# 1k, 10k, 100k and 1M accounts in one run (bench/usage.php; SIZES=1000,10000 for others): wall
# time, requests, queries, peak memory per step and the growth table; not part of `make test`.
SIZES ?=
bench-usage: build test-deps
	SGSIM_BIN=$(SGSIM) $(PHPWITHEXT) bench/usage.php $(SIZES)

# Lint: cited paths, the crates' import graphs (tools/check-module-graph.py, after its self-test),
# rustfmt, clippy, the fuzz crate (outside the workspace, so checked on its own: a change of the
# core's API fails here, not only in the slower make fuzz), php -l and PSR-12.
lint: test-deps
	bash tools/check-doc-paths.sh
	python3 tools/check-module-graph.py --self-test core/src sim/src src
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo check --manifest-path fuzz/Cargo.toml --bins --locked -q
	find php tests -name '*.php' -print0 | xargs -0 -n1 $(PHP) -l >/dev/null
	phpcs --standard=PSR12 php tests

clean:
	cargo clean

# ---- install, package, notices (package) --------------------------------------------------------
# Installs like a PHP extension: sgwhmcs.so into `php-config --extension-dir`, sgwhmcs.ini (every
# directive, commented) into mods-available, enabled for fpm and cli with phpenmod, the module
# generator with every file it reads, and the hooks file, under $(PREFIX)/share/sgwhmcs. DESTDIR,
# PREFIX, EXTDIR, INIDIR and ENABLE=no are honoured (tools/install/install.sh). `make uninstall`
# undoes all of it. Production only: no apt, no test prerequisites, and no root with DESTDIR (the
# system's directories need root; it says so). With cargo on PATH the extension is brought up to
# date first (incremental); without (e.g. sudo's PATH) the one `make build` made is installed.
PREFIX ?= /usr
install:
	@if command -v cargo >/dev/null; then cargo build --release -p sgwhmcs; fi
	EXT=$(EXT) PHP=$(PHP) DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) bash tools/install/install.sh install

uninstall:
	PHP=$(PHP) DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) bash tools/install/install.sh uninstall

# The Debian package of the same files (dpkg-deb): target/debian/sgwhmcs_<version>_<arch>.deb,
# the .so stripped, with /usr/share/doc/sgwhmcs (copyright with the third-party notices, changelog).
deb: build
	EXT=$(EXT) PHP=$(PHP) bash tools/deb/build.sh

# lintian on that package: 0 errors (warnings are printed; tools/deb/lintian.sh).
lintian: build
	EXT=$(EXT) PHP=$(PHP) bash tools/deb/lintian.sh

# THIRD-PARTY-LICENSES: the licences of every crate the extension is built from (not the
# simulator's, which is not shipped), generated from Cargo.lock by cargo-about (about.toml,
# about.hbs; installed when missing); `test-notices` fails when the committed file is not what
# Cargo.lock gives now (tools/notices.sh). Run `make notices` after changing Cargo.lock.
notices:
	bash tools/notices.sh

test-notices:
	bash tools/notices.sh --check

# cargo-deny: only accepted licences (deny.toml), no banned or duplicate-policy crates, crates.io
# only (installed by `cargo install --locked` when missing).
deny:
	@command -v cargo-deny >/dev/null || cargo install --locked cargo-deny
	cargo deny check licenses bans sources
# ---- end of install, package, notices -----------------------------------------------------------

# make install/uninstall in a scratch DESTDIR and for real, and the .deb with dpkg -i / -r, checked
# with php -m, php-fpm -m and SgWhmcs\version() (root; CI runs it last: tests/Install/run.sh).
test-install: build test-deps
	SGWHMCS_EXT=$(EXT) PHP=$(PHP) timeout -k 10 300 bash tests/Install/run.sh

# Upgrade without regenerating (tests/Upgrade/run.sh): builds this tree again as a next version
# and with a bumped module interface (target/upgrade/), then calls through a module generated
# with the current build: it keeps working on the next version; on the bumped one every call
# says to regenerate until generate-module.php --regenerate-known does.
test-upgrade: build
	SGWHMCS_EXT=$(EXT) SGSIM_BIN=$(SGSIM) PHP=$(PHP) timeout -k 10 1200 bash tests/Upgrade/run.sh

# In process: TestConnection through the extension against a raw keep-alive curl GET, https and
# http; wall time (medians of alternating rounds) and instructions per call (callgrind).
bench-inprocess: build test-deps
	SGSIM_BIN=$(SGSIM) SGWHMCS_EXT=$(EXT) PHP=$(PHP) bash bench/inprocess.sh

# Create, Suspend, Unsuspend, Terminate through the emulated WHMCS against one sgsim holding 0,
# 10,000 and 100,000 other customers, rows taking turns (bench/lifecycle.php): ms and requests per
# lifecycle, ratio to the 0-account row; not part of `make test`.
bench-lifecycle: build test-deps
	SGSIM_BIN=$(SGSIM) $(PHPWITHEXT) bench/lifecycle.php

# Issue 20's scale figures in one run: the usage growth table (bench/usage.php, 1,000 to
# 1,000,000 services against the 1,000 row) and the lifecycle table (bench/lifecycle.php, 0 to
# 100,000 existing accounts against the empty server); not part of `make test`.
bench-scale: build test-deps
	SGSIM_BIN=$(SGSIM) $(PHPWITHEXT) bench/usage.php $(SIZES)
	SGSIM_BIN=$(SGSIM) $(PHPWITHEXT) bench/lifecycle.php

# Side by side under php-fpm behind nginx: an empty request, a pure-PHP curl module, sgwhmcs
# (TestConnection, then the whole lifecycle, one function per request); the in-process overhead
# against raw keep-alive curl; the extension's load cost (bench/fpm.sh).
bench-fpm: build test-deps
	SGSIM_BIN=$(SGSIM) SGWHMCS_EXT=$(EXT) PHP=$(PHP) bash bench/fpm.sh

# ---- release archive (issue 18: dist) ----
# make dist: target/dist/sgwhmcs-<version>-linux-<arch>.tar.gz from every build in BUILDS
# (target/builds/<tag>/{sgwhmcs.so,build.json}), the generator, the hooks file, docs and the
# installer install.sh (tools/dist/make-dist.sh); refuses when BUILDS holds no build.
# make test-dist (root): the archive's installer on PHPs laid out as Debian, cPanel EA-PHP,
# CloudLinux alt-php, Plesk and Remi place them; uninstall leaves each as it was (tests/Dist/run.sh).
.PHONY: dist test-dist
BUILDS  ?= $(CURDIR)/target/builds
DISTDIR ?= $(CURDIR)/target/dist
dist:
	bash tools/dist/make-dist.sh $(BUILDS) $(DISTDIR)

test-dist: build
	SGWHMCS_EXT=$(EXT) timeout -k 10 600 bash tests/Dist/run.sh
# ---- end release archive ----
