#!/usr/bin/env bash
# Prints the package's /usr/share/doc/sgwhmcs/copyright in Debian's machine-readable format
# (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/): the project's MIT licence
# (LICENSE) for every file, and a note on the crates linked into the .so, with the licences they
# are used under, read from THIRD-PARTY-LICENSES's summary (about.hbs writes it). The crates' own
# notices and licence texts stay in full in THIRD-PARTY-LICENSES, shipped beside this file: the
# copyright file refers to Debian's common licences rather than quoting long ones (Policy 12.5).
#
#   bash tools/deb/copyright.sh LICENSE THIRD-PARTY-LICENSES      (tools/deb/build.sh runs it)
set -euo pipefail
LICENSE=${1:?usage: copyright.sh LICENSE THIRD-PARTY-LICENSES}
NOTICES=${2:?usage: copyright.sh LICENSE THIRD-PARTY-LICENSES}

# "Copyright (c) 2026 the sgwhmcs authors" -> "2026 the sgwhmcs authors"
HOLDER=$(sed -n 's/^Copyright (c) //p' "$LICENSE" | head -n1)
[ -n "$HOLDER" ] || { echo "copyright.sh: no Copyright line in $LICENSE" >&2; exit 1; }
# The summary lines of THIRD-PARTY-LICENSES: "  <SPDX id>: <licence name>".
SUMMARY=$(sed -n '/^Licences used$/,/^$/p' "$NOTICES" | sed -n 's/^  \([A-Za-z0-9.+-]*: .*\)$/\1/p')
[ -n "$SUMMARY" ] || { echo "copyright.sh: no licence summary in $NOTICES (make notices)" >&2; exit 1; }

cat <<HEAD
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: sgwhmcs
Comment: The PHP extension usr/lib/php/*/sgwhmcs.so is also built from the
 Rust crates named in /usr/share/doc/sgwhmcs/THIRD-PARTY-LICENSES.gz, most of
 them linked into it statically. That file, generated from Cargo.lock by
 cargo-about, holds each crate's own copyright notices and licence texts in
 full, and names the licence each crate is used under (a crate that offers a
 choice is used under one of its choices). The crates' licences:
 .
$(sed 's/^/   /' <<<"$SUMMARY")
 .
 The Apache License 2.0 is also in /usr/share/common-licenses/Apache-2.0.

Files: *
Copyright: $HOLDER
License: MIT

License: MIT
HEAD
# The licence's text after its Copyright line, one space in, blank lines as " .".
sed -n '/^Copyright (c) /,$p' "$LICENSE" | tail -n +2 | sed '/./,$!d' | sed 's/^$/./; s/^/ /'
