#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are missing (as root), or names them.
# Off Debian (no dpkg-query/apt-get) it installs nothing and fails nothing: it says what the
# packages are, so that the same things can be installed with the system's own package manager.
set -euo pipefail
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    # What each Debian package provides, for an admin on another distribution.
    what() {
        case $1 in
        php*-cli) echo "the PHP command line (php)" ;;
        php*-dev) echo "PHP's headers and php-config (RHEL/AlmaLinux: php-devel; cPanel: ea-phpXX-php-devel)" ;;
        libclang-dev) echo "libclang, which the Rust build reads PHP's headers with (RHEL/AlmaLinux: clang-devel)" ;;
        *) echo "the Debian package of that name" ;;
        esac
    }
    echo "Not a Debian system (no dpkg-query/apt-get); make sure the equivalents of these are installed:" >&2
    for pkg in "$@"; do
        echo "  $pkg: $(what "$pkg")" >&2
    done
    exit 0
fi
missing=()
for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "Installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
