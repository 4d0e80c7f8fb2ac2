# sgwhmcs: `make test` runs every test, `make demo` shows the module working end to end.
# Both install missing Debian prerequisites first when run as root, or name them.

PHP        ?= php
EXT        := $(CURDIR)/target/release/libsgwhmcs.so
SGSIM      := $(CURDIR)/target/release/sgsim
PHPWITHEXT := $(PHP) -d extension=$(EXT)
DEBS       := php8.2-cli php8.2-dev php8.2-curl libclang-dev phpunit php-codesniffer

.PHONY: all deps build test test-rust test-php demo lint clean

all: build

deps:
	@bash tools/ensure-debs.sh $(DEBS)

build: deps
	cargo build --release -p sgwhmcs -p sgsim

test-rust: deps
	cargo test -p sgwhmcs-core -p sgsim

test-php: build
	SGSIM_BIN=$(SGSIM) $(PHPWITHEXT) /usr/bin/phpunit -c phpunit.xml

test: test-rust test-php

demo: build
	SGSIM_BIN=$(SGSIM) $(PHPWITHEXT) tools/demo.php

lint: deps
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	find php tests -name '*.php' -print0 | xargs -0 -n1 $(PHP) -l >/dev/null
	phpcs --standard=PSR12 php tests

clean:
	cargo clean
