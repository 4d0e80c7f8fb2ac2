#!/usr/bin/env bash
# sgwhmcs installer of the release archive (make dist puts it at the archive's top). As root:
#
#   ./install.sh [--php PATH]... [--prefix DIR] [--dry-run]     install into every PHP found
#   ./install.sh --uninstall [--dry-run]                         undo exactly what it did
#
# Finds every PHP on the host (Debian/Ubuntu /usr/bin/php8.X, cPanel EA-PHP, CloudLinux alt-php,
# Plesk, Remi; or only those named with --php), asks each one what it is (PHP_VERSION_ID, PHP_ZTS,
# its extension_dir, its Zend API number from `php -i`, its scan dir from `php --ini`) and installs
# the build of builds/<tag>/ whose build.json matches (PHP minor, thread safety, Zend API,
# architecture): sgwhmcs.so into its extension dir, the ini (tools/ini.sh: every directive with
# its default) into its scan dir (Debian's own PHPs: mods-available, enabled per SAPI by
# phpenmod). Then it proves the build loads in that PHP (`php -m`, SgWhmcs\version()) and
# rolls that PHP back if not. The generator and the hooks file go to PREFIX/share/sgwhmcs (PREFIX
# /usr). Every file, link and directory it creates is written to /var/lib/sgwhmcs/manifest;
# --uninstall removes those and nothing else. It never overwrites a file it did not create.
# Needs no network. Exit status: 0 all PHPs installed, 1 some PHP not (no build for it, it did
# not load, another install's files), 2 usage error or nothing to do.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=/usr
STATE_DIR=/var/lib/sgwhmcs
PHPS=()
UNINSTALL=0
DRY=0

usage() {
    echo "usage: install.sh [--php PATH]... [--prefix DIR] [--uninstall] [--dry-run]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
    --php) [ $# -ge 2 ] || usage; PHPS+=("$2"); shift 2 ;;
    --php=*) PHPS+=("${1#--php=}"); shift ;;
    --prefix) [ $# -ge 2 ] || usage; PREFIX=$2; shift 2 ;;
    --prefix=*) PREFIX=${1#--prefix=}; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    --dry-run) DRY=1; shift ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $1" >&2; usage ;;
    esac
done
SHARE=$PREFIX/share/sgwhmcs
MANIFEST=$STATE_DIR/manifest

say() { echo "sgwhmcs: $*"; }
warn() { echo "sgwhmcs: $*" >&2; }

[ "$(id -u)" = 0 ] || [ "$DRY" = 1 ] || { warn "run me as root (I install into PHP's directories)"; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-install.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

# ---- the manifest: one tab-separated line per thing this installer made, in the order made ----
#   dir PATH | file PATH SHA256 | link PATH TARGET | php PHP-PATH LAYOUT TAG VERSION
MAN=()
if [ -f "$MANIFEST" ]; then
    while IFS= read -r line; do MAN+=("$line"); done <"$MANIFEST"
fi
T=$'\t'
# The manifest line of PATH (file, link or dir), empty when this installer did not make it.
entry_of() {
    local l
    for l in "${MAN[@]}"; do
        case "$l" in file"$T$1$T"* | link"$T$1$T"* | dir"$T$1") printf '%s\n' "$l"; return 0 ;; esac
    done
    return 1
}
owned() { entry_of "$1" >/dev/null; }
# Records a line, replacing an earlier one for the same path (a reinstall overwrites its file).
record() {
    local kind=$1 path=$2 extra=${3:-} i new
    if [ "$kind" = dir ]; then new="dir$T$path"; else new="$kind$T$path$T$extra"; fi
    for i in "${!MAN[@]}"; do
        case "${MAN[$i]}" in
        "$kind$T$path$T"* | "$kind$T$path") MAN[$i]=$new; return 0 ;;
        esac
    done
    MAN+=("$new")
}
record_php() { # PHP-PATH LAYOUT TAG VERSION
    local i
    for i in "${!MAN[@]}"; do
        case "${MAN[$i]}" in "php$T$1$T"*) MAN[$i]="php$T$1$T$2$T$3$T$4"; return 0 ;; esac
    done
    MAN+=("php$T$1$T$2$T$3$T$4")
}
save_manifest() {
    [ "$DRY" = 0 ] || return 0
    mkdirs "$STATE_DIR"
    printf '%s\n' "${MAN[@]}" >"$MANIFEST.new" && mv "$MANIFEST.new" "$MANIFEST"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

# ---- changes with their undo (one PHP's install is all or nothing) ----
UNDO=()
begin() { UNDO=(); MAN_BEFORE=("${MAN[@]}"); }
rollback() {
    local i op a b
    for ((i = ${#UNDO[@]} - 1; i >= 0; i--)); do
        IFS=$T read -r op a b <<<"${UNDO[$i]}"
        case "$op" in
        rm) rm -f "$a" ;;
        rmdir) rmdir "$a" 2>/dev/null ;;
        restore) cp -a "$a" "$b" ;;
        esac
    done
    UNDO=()
    MAN=("${MAN_BEFORE[@]}")
}
# Creates DIR and any missing parent, recording each one it made.
mkdirs() {
    local d=$1 missing=()
    while [ ! -d "$d" ]; do missing=("$d" "${missing[@]}"); d=$(dirname "$d"); done
    for d in "${missing[@]}"; do
        mkdir -m 755 "$d" || return 1
        UNDO+=("rmdir$T$d")
        record dir "$d"
    done
}
# Puts SRC at DEST (mode 644); DEST must be absent or this installer's own.
put_file() {
    local src=$1 dest=$2 backup
    mkdirs "$(dirname "$dest")" || return 1
    if [ -e "$dest" ] || [ -L "$dest" ]; then
        backup=$TMP/backup.${#UNDO[@]}
        cp -a "$dest" "$backup" || return 1
        UNDO+=("restore$T$backup$T$dest")
    else
        UNDO+=("rm$T$dest")
    fi
    # A new file renamed into place: a running PHP that has the old .so mapped keeps it intact.
    cp "$src" "$dest.sgwhmcs-new" && chmod 644 "$dest.sgwhmcs-new" && mv -f "$dest.sgwhmcs-new" "$dest" || {
        rm -f "$dest.sgwhmcs-new"
        return 1
    }
    record file "$dest" "$(sha "$dest")"
}
# Why PATH is in the way: it exists and this installer did not make it.
foreign() {
    local p=$1 who=""
    { [ -e "$p" ] || [ -L "$p" ]; } && ! owned "$p" || return 1
    command -v dpkg >/dev/null && who=$(dpkg -S "$p" 2>/dev/null | cut -d: -f1)
    command -v rpm >/dev/null && [ -z "$who" ] && who=$(rpm -qf "$p" 2>/dev/null | grep -v 'not owned')
    echo "$p exists and is not from this installer${who:+ (package $who)}: remove that installation first (make uninstall, dpkg -r sgwhmcs, or delete the file)"
}

# ---- uninstall ----
do_uninstall() {
    local i kind path extra rest l php layout
    [ -f "$MANIFEST" ] || { say "nothing to uninstall: $MANIFEST not found"; exit 0; }
    [ "$DRY" = 0 ] || say "dry run: nothing is changed"
    REMOVED=removed
    [ "$DRY" = 0 ] || REMOVED="would remove"
    PHP_LINES=()
    for ((i = ${#MAN[@]} - 1; i >= 0; i--)); do
        IFS=$T read -r kind path extra rest <<<"${MAN[$i]}"
        case "$kind" in
        php) PHP_LINES+=("${MAN[$i]}") ;;
        file)
            if [ ! -f "$path" ] || [ -L "$path" ]; then
                :
            elif [ "$(sha "$path")" != "$extra" ]; then
                say "kept $path: changed since it was installed (remove it yourself if you want)"
            else
                [ "$DRY" = 1 ] || rm -f "$path"
                say "$REMOVED $path"
            fi
            ;;
        link)
            if [ -L "$path" ] && [ "$(readlink "$path")" = "$extra" ]; then
                [ "$DRY" = 1 ] || rm -f "$path"
                say "$REMOVED $path"
            fi
            ;;
        dir)
            [ "$path" = "$STATE_DIR" ] && [ "$DRY" = 0 ] && rm -f "$MANIFEST"
            if [ -d "$path" ] && [ -z "$(ls -A "$path")" ]; then
                [ "$DRY" = 1 ] || rmdir "$path"
            fi
            ;;
        esac
    done
    [ "$DRY" = 1 ] || rm -f "$MANIFEST"
    for l in "${PHP_LINES[@]}"; do
        IFS=$T read -r _ php layout _ _ <<<"$l"
        say "$php: $([ "$DRY" = 1 ] && echo "would be uninstalled" || echo uninstalled); restart: $(restart_hint "$php" "$layout" 2>/dev/null || true)"
    done
    exit 0
}

# ---- the PHPs of this host ----
# The layout a PHP binary belongs to, from where it lives.
layout_of() {
    case "$1" in
    /usr/bin/php[0-9]*.[0-9]*) echo debian ;;
    /opt/cpanel/ea-php*/root/usr/bin/php) echo cpanel ;;
    /opt/alt/php*/usr/bin/php) echo alt-php ;;
    /opt/plesk/php/*/bin/php) echo plesk ;;
    /opt/remi/php*/root/usr/bin/php) echo remi ;;
    *) echo other ;;
    esac
}
# The services to restart so that PHP's long-running processes load the new extension (the CLI,
# which runs WHMCS's cron, needs none).
restart_hint() {
    local php=$1 layout=$2 v n
    case "$layout" in
    debian)
        v=$(readlink -f "$php")
        v=${v#/usr/bin/php}
        n=""
        [ -d "/etc/php/$v/fpm" ] && n="systemctl restart php$v-fpm"
        [ -d "/etc/php/$v/apache2" ] && n="${n:+$n; }systemctl restart apache2"
        echo "${n:-nothing (CLI only)}"
        ;;
    cpanel) echo "/scripts/restartsrv_apache_php_fpm (PHP-FPM); /scripts/restartsrv_httpd (Apache: mod_lsapi, suPHP, CGI)" ;;
    alt-php)
        v=${php#/opt/alt/php}
        echo "systemctl restart alt-php${v%%/*}-fpm (PHP-FPM); the web server for LSAPI (/scripts/restartsrv_httpd on cPanel, or systemctl restart httpd / lsws)"
        ;;
    plesk)
        v=${php#/opt/plesk/php/}
        v=${v%%/*}
        echo "systemctl restart plesk-php${v//./}-fpm (PHP-FPM); systemctl restart httpd or apache2 (FastCGI)"
        ;;
    remi)
        v=${php#/opt/remi/php}
        echo "systemctl restart php${v%%/*}-php-fpm (PHP-FPM); systemctl restart httpd (mod_php)"
        ;;
    *) echo "the php-fpm or web server that runs $php" ;;
    esac
}
# The php-config that belongs to a PHP (to build for it), and the package that has it.
php_config_of() {
    case "$1" in
    /usr/bin/php[0-9]*) echo "/usr/bin/php-config${1#/usr/bin/php}" ;;
    *) echo "$(dirname "$1")/php-config" ;;
    esac
}
dev_package_of() {
    local p=$1 v
    case "$(layout_of "$p")" in
    debian) echo "php${p#/usr/bin/php}-dev" ;;
    cpanel) v=${p#/opt/cpanel/}; echo "${v%%/*}-php-devel" ;;
    alt-php) v=${p#/opt/alt/}; echo "alt-${v%%/*}-devel" ;;
    plesk) v=${p#/opt/plesk/php/}; v=${v%%/*}; echo "plesk-php${v//./}-dev (or -devel)" ;;
    remi) v=${p#/opt/remi/}; echo "${v%%/*}-php-devel" ;;
    *) echo "your PHP's development package" ;;
    esac
}
# Every PHP binary of the known layouts, once each (by the file it resolves to).
find_phps() {
    local p seen=" " r
    for p in /usr/bin/php[0-9]*.[0-9]* /opt/cpanel/ea-php*/root/usr/bin/php /opt/alt/php*/usr/bin/php \
        /opt/plesk/php/*/bin/php /opt/remi/php*/root/usr/bin/php /usr/bin/php; do
        [ -f "$p" ] && [ -x "$p" ] || continue
        case "$p" in /usr/bin/php[0-9]*) [[ "$p" =~ ^/usr/bin/php[0-9]+\.[0-9]+$ ]] || continue ;; esac
        r=$(readlink -f "$p")
        case "$seen" in *" $r "*) continue ;; esac
        seen="$seen$r "
        echo "$p"
    done
}

# Asks PHP what it is; sets P_ID P_VERSION P_MINOR P_ZTS P_EXTDIR P_ARCH P_API P_SCAN.
probe() {
    local php=$1 out
    # shellcheck disable=SC2016
    out=$("$php" -r '$d = (string) ini_get("extension_dir");
        if ($d === "" || $d[0] !== "/") { $d = PHP_EXTENSION_DIR; }
        echo "\nsgwhmcs-probe ", PHP_VERSION_ID, " ", PHP_VERSION, " ", PHP_MAJOR_VERSION . "." . PHP_MINOR_VERSION, " ",
            PHP_ZTS ? "zts" : "nts", " ", php_uname("m"), " ", $d, "\n";' 2>"$TMP/probe.err") || {
        echo "it does not run: $(head -c 400 "$TMP/probe.err")"
        return 1
    }
    # Only the marked line: a PHP may print startup warnings on stdout before it.
    read -r _ P_ID P_VERSION P_MINOR P_ZTS P_ARCH P_EXTDIR <<<"$(grep '^sgwhmcs-probe ' <<<"$out" | head -n1)"
    [[ "${P_ID:-}" =~ ^[0-9]+$ ]] || { echo "it does not answer what it is: $(head -c 400 <<<"$out")"; return 1; }
    P_API=$("$php" -i 2>/dev/null | sed -n 's/^PHP Extension => \([0-9]*\)$/\1/p' | head -n1)
    P_SCAN=$("$php" --ini 2>/dev/null | sed -n 's/^Scan for additional \.ini files in: *//p' | head -n1)
    # PHP_INI_SCAN_DIR may list several directories: the first one that exists is ours.
    local d first=""
    IFS=: read -r -a dirs <<<"$P_SCAN"
    for d in "${dirs[@]}"; do
        [ -n "$d" ] && [ -d "$d" ] && { first=$d; break; }
    done
    P_SCAN=$first
    [ -n "$P_API" ] || { echo "php -i names no Zend API number (PHP Extension => …)"; return 1; }
    return 0
}

# The builds in this archive, one "tag php zend_api zts arch version" line each, read by PHP.
builds_list() {
    # shellcheck disable=SC2016
    "$1" -n -r 'foreach (array_slice($argv, 1) as $f) {
            $j = json_decode((string) file_get_contents($f), true);
            if (!is_array($j) || !is_file(dirname($f) . "/sgwhmcs.so")) { continue; }
            echo "build ", basename(dirname($f)), " ", $j["php"] ?? "?", " ", $j["zend_api"] ?? "?", " ",
                !empty($j["zts"]) ? "zts" : "nts", " ", $j["arch"] ?? "?", " ", $j["sgwhmcs"] ?? "?", "\n";
        }' "$HERE"/builds/*/build.json 2>/dev/null
}

# Installs the matching build into one PHP. Prints what it did; returns 0 installed, 1 not.
install_php() {
    local php=$1 layout why tag="" b_php b_api b_zts b_arch b_ver line so prio what
    local debian="" v sapis="" dest_ini conflicts=() p before after
    layout=$(layout_of "$php")
    if ! probe "$php" >"$TMP/why"; then
        say "$php: NOT installed: $(cat "$TMP/why")"
        return 1
    fi
    # Debian's own PHPs (any path to them) keep the ini in mods-available and enable it per SAPI.
    if [[ "$P_SCAN" =~ ^/etc/php/([0-9]+\.[0-9]+)/[^/]+/conf\.d$ ]] && [ -d "/etc/php/${BASH_REMATCH[1]}/mods-available" ]; then
        debian=${BASH_REMATCH[1]}
        layout=debian
    fi
    what="$php (PHP $P_VERSION ${P_ZTS^^}, Zend API $P_API, $P_ARCH, layout $layout)"
    if [ "$P_ID" -lt 80000 ]; then
        say "$what: skipped: sgwhmcs needs PHP 8.0 or later (WHMCS 8.x runs on 8.1 and 8.2)"
        return 2
    fi
    local available=""
    while read -r line; do
        [ "${line#build }" != "$line" ] || continue
        read -r _ btag b_php b_api b_zts b_arch b_ver <<<"$line"
        available="${available:+$available, }$btag (PHP $b_php, Zend API $b_api)"
        if [ "$b_php" = "$P_MINOR" ] && [ "$b_api" = "$P_API" ] && [ "$b_zts" = "$P_ZTS" ] && [ "$b_arch" = "$P_ARCH" ]; then
            tag=$btag
            VERSION=$b_ver
        fi
    done <<<"$(builds_list "$php")"
    if [ -z "$tag" ]; then
        say "$what: NOT installed: this archive has no build for it (it has: ${available:-none})."
        say "  build one from the source tree for this PHP: make build PHP_CONFIG=$(php_config_of "$php")"
        say "  (php-config comes with $(dev_package_of "$php"); see docs/builds.md), then install that build"
        return 1
    fi
    so=$HERE/builds/$tag/sgwhmcs.so
    [ -n "$P_EXTDIR" ] || { say "$what: not installed: it names no extension_dir"; return 1; }

    # Where the ini goes.
    if [ -n "$debian" ]; then
        dest_ini=/etc/php/$debian/mods-available/sgwhmcs.ini
        for p in /etc/php/"$debian"/*/conf.d/*sgwhmcs.ini; do [ -e "$p" ] || [ -L "$p" ] && conflicts+=("$p"); done
    elif [ -n "$P_SCAN" ]; then
        dest_ini=$P_SCAN/20-sgwhmcs.ini
        for p in "$P_SCAN"/*sgwhmcs.ini; do [ -e "$p" ] || [ -L "$p" ] && conflicts+=("$p"); done
    else
        say "$what: NOT installed: it scans no directory for .ini files (php --ini: Scan for additional .ini files in: (none));"
        say "  add extension=sgwhmcs.so to its php.ini yourself after copying builds/$tag/sgwhmcs.so to $P_EXTDIR"
        return 1
    fi
    # Another installation's files (make install, the .deb, a copy by hand) are never overwritten.
    for p in "$P_EXTDIR/sgwhmcs.so" "$dest_ini" "${conflicts[@]}"; do
        if why=$(foreign "$p"); then
            say "$what: NOT installed: $why"
            return 1
        fi
    done

    if [ "$DRY" = 1 ]; then
        say "$what: would install build $tag (sgwhmcs $VERSION): $P_EXTDIR/sgwhmcs.so, $dest_ini${debian:+ (enabled per SAPI with phpenmod)}"
        return 0
    fi

    begin
    if ! bash "$HERE/tools/ini.sh" "$so" "$php" >"$TMP/sgwhmcs.ini" 2>"$TMP/ini.err"; then
        say "$what: NOT installed: build $tag does not load in it: $(head -c 600 "$TMP/ini.err")"
        return 1
    fi
    if ! { put_file "$so" "$P_EXTDIR/sgwhmcs.so" && put_file "$TMP/sgwhmcs.ini" "$dest_ini"; }; then
        rollback
        say "$what: NOT installed: could not write its files (rolled back)"
        return 1
    fi
    if [ -n "$debian" ]; then
        # phpenmod links the ini into each SAPI's conf.d and keeps its own state under
        # /var/lib/php/modules: whatever it creates is recorded, so uninstall removes exactly that.
        before=$(find "/etc/php/$debian" /var/lib/php/modules -printf '%y\t%p\t%l\n' 2>/dev/null)
        if command -v phpenmod >/dev/null; then
            phpenmod -v "$debian" sgwhmcs
        else
            prio=$(sed -n 's/^; priority=\([0-9]*\)$/\1/p' "$TMP/sgwhmcs.ini")
            for p in /etc/php/"$debian"/*/conf.d; do
                [ -e "$p/${prio:-20}-sgwhmcs.ini" ] || ln -s "$dest_ini" "$p/${prio:-20}-sgwhmcs.ini"
            done
        fi
        after=$(find "/etc/php/$debian" /var/lib/php/modules -printf '%y\t%p\t%l\n' 2>/dev/null)
        while IFS=$T read -r t p l; do
            [ -n "$p" ] || continue
            case "$t" in
            d) UNDO+=("rmdir$T$p"); record dir "$p" ;;
            l) UNDO+=("rm$T$p"); record link "$p" "$l"; sapis="$sapis $(basename "$(dirname "$(dirname "$p")")")" ;;
            *) UNDO+=("rm$T$p"); record file "$p" "$(sha "$p")" ;;
            esac
        done <<<"$(sort <<<"$before" >"$TMP/before"; sort <<<"$after" >"$TMP/after"; comm -13 "$TMP/before" "$TMP/after" | sort -t"$T" -k2,2)"
        for p in /etc/php/"$debian"/*/conf.d/*sgwhmcs.ini; do
            [ -L "$p" ] && v=$(basename "$(dirname "$(dirname "$p")")") && case "$sapis " in *" $v "*) ;; *) sapis="$sapis $v" ;; esac
        done
    fi

    # The proof: this PHP lists the module and the extension answers the build's version.
    local modules answer problem=""
    modules=$("$php" -m 2>&1)
    if ! grep -qx sgwhmcs <<<"$modules"; then
        problem="php -m does not list sgwhmcs: $(grep -i -m2 -e warning -e error <<<"$modules" | head -c 600)"
    else
        answer=$("$php" -r 'echo "\nsgwhmcs-version ", \SgWhmcs\version(), "\n";' 2>&1 | sed -n 's/^sgwhmcs-version //p')
        [ "$answer" = "$VERSION" ] || problem="SgWhmcs\\version() answers '$answer', the build is $VERSION"
    fi
    if [ -z "$problem" ] && [ -n "$debian" ] && [ -x "/usr/sbin/php-fpm$debian" ] && [ -L "/etc/php/$debian/fpm/conf.d/20-sgwhmcs.ini" ]; then
        grep -qx sgwhmcs <<<"$("/usr/sbin/php-fpm$debian" -m 2>&1)" || problem="php-fpm$debian -m does not list sgwhmcs"
    fi
    if [ -n "$problem" ]; then
        rollback
        say "$what: NOT installed: build $tag does not load there ($problem); rolled back, nothing of it left"
        return 1
    fi
    record_php "$php" "$layout" "$tag" "$VERSION"
    save_manifest
    say "$what: installed build $tag: $P_EXTDIR/sgwhmcs.so, $dest_ini${sapis:+, enabled for$sapis}; php -m lists sgwhmcs, SgWhmcs\\version() = $VERSION"
    say "  restart: $(restart_hint "$php" "$layout")"
    INSTALLED+=("$php")
    return 0
}

# The generator (everything it reads beside itself) and the hooks file, under PREFIX/share/sgwhmcs.
install_share() {
    local f rel why
    while IFS= read -r f; do
        rel=${f#"$HERE/share/"}
        if why=$(foreign "$SHARE/$rel"); then
            say "generator NOT installed: $why"
            return 1
        fi
    done <<<"$(find "$HERE/share" -type f | sort)"
    if [ "$DRY" = 1 ]; then
        say "would install the module generator and whmcsHooks.php into $SHARE"
        return 0
    fi
    begin
    while IFS= read -r f; do
        rel=${f#"$HERE/share/"}
        put_file "$f" "$SHARE/$rel" || { rollback; say "generator NOT installed: could not write $SHARE/$rel"; return 1; }
    done <<<"$(find "$HERE/share" -type f | sort)"
    save_manifest
    say "installed the module generator and whmcsHooks.php into $SHARE"
}

# ---- main ----
[ "$UNINSTALL" = 1 ] && do_uninstall

if [ ${#PHPS[@]} -eq 0 ]; then
    while IFS= read -r p; do [ -z "$p" ] || PHPS+=("$p"); done <<<"$(find_phps)"
    [ ${#PHPS[@]} -gt 0 ] || { warn "found no PHP (looked for /usr/bin/php8.X, EA-PHP, alt-php, Plesk, Remi); name one with --php PATH"; exit 2; }
fi
for p in "${PHPS[@]}"; do
    [ -x "$p" ] || { warn "--php $p: not an executable file"; exit 2; }
done
ls "$HERE"/builds/*/build.json >/dev/null 2>&1 || { warn "this archive holds no build ($HERE/builds/*/build.json)"; exit 2; }
[ "$DRY" = 1 ] && say "dry run: nothing is changed"

STATUS=0
INSTALLED=()
# The state directory first in the manifest, so that uninstall removes it last.
[ "$DRY" = 1 ] || { begin; mkdirs "$STATE_DIR" && save_manifest; } || { warn "cannot create $STATE_DIR"; exit 2; }
install_share || STATUS=1
for p in "${PHPS[@]}"; do
    install_php "$p"
    [ $? -eq 1 ] && STATUS=1
done

# Modules generated by an earlier version are rewritten for this one (when the generator can).
if [ "$DRY" = 0 ] && [ ${#INSTALLED[@]} -gt 0 ] && grep -q -e '--regenerate-known' "$SHARE/generate-module.php" 2>/dev/null; then
    if out=$("${INSTALLED[0]}" "$SHARE/generate-module.php" --regenerate-known 2>&1); then
        [ -z "$out" ] || printf '%s\n' "$out"
        say "regenerated the modules this host's generator has written (${INSTALLED[0]} $SHARE/generate-module.php --regenerate-known)"
    else
        printf '%s\n' "$out" >&2
        warn "regenerating the known modules failed: run ${INSTALLED[0]} $SHARE/generate-module.php --regenerate-known and see its message"
        STATUS=1
    fi
fi
[ "$DRY" = 1 ] || say "manifest of what was installed: $MANIFEST (./install.sh --uninstall removes exactly that)"
[ "$STATUS" = 0 ] || warn "not every PHP got sgwhmcs (see above); exit status 1"
exit "$STATUS"
