#!/usr/bin/env bash
# Installs what the tests need on a Debian 12 machine, as root, idempotently:
#   - Debian packages: PostgreSQL 15 (server + headers), Redis, a C toolchain, unzip, curl, Node.js/npm when missing;
#   - pgvector, built from Debian 13's source package through a private apt configuration
#     (the machine's own apt sources are never modified; skipped when vector.control is installed);
#   - the npm packages s3rver and sqlite-vec-linux-x64 into a tools directory.
# Prints the tools directory as its last line. Safe to run again: every step checks before it acts.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PG_MAJOR=15
PG_BIN=$PRXY_PG_BIN
PGVECTOR_SUITE=trixie

log() { printf 'eng/install: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
  [[ $(id -u) -eq 0 ]] || die "$1 needs root (run eng/install.sh as root, or install it yourself)."
}

# ---------------------------------------------------------------- Debian packages
apt_packages=(postgresql-${PG_MAJOR} postgresql-server-dev-${PG_MAJOR} postgresql-client-${PG_MAJOR}
              redis-server redis-tools build-essential dpkg-dev ca-certificates curl unzip procps)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)

missing=()
for p in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  as_root "installing ${missing[*]}"
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present"
fi

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH; install .NET SDK 10 first."

# ---------------------------------------------------------------- pgvector
pg_sharedir=$("$PG_BIN/pg_config" --sharedir)
if [[ -f "$pg_sharedir/extension/vector.control" ]]; then
  log "pgvector present ($(grep -E '^default_version' "$pg_sharedir/extension/vector.control" | tr -d "' "))"
else
  as_root "building pgvector"
  . /etc/os-release
  codename=${VERSION_CODENAME:-bookworm}
  # The mirror URI comes from this machine's own apt sources: the main archive (not -security / -updates).
  mirror=""
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    mirror=$(awk -v want="$codename" '
      BEGIN { RS=""; FS="\n" }
      {
        uris=""; suites=""; types=""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)   { uris = $i;   sub(/^URIs:[ \t]*/, "", uris) }
          if ($i ~ /^Suites:/) { suites = $i; sub(/^Suites:[ \t]*/, "", suites) }
          if ($i ~ /^Types:/)  { types = $i }
        }
        if (types ~ /deb/ && (" " suites " ") ~ (" " want " ")) { split(uris, u, /[ \t]+/); print u[1]; exit }
      }' "$f")
    [[ -n $mirror ]] && break
  done
  if [[ -z $mirror ]]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f $f ]] || continue
      mirror=$(awk -v want="$codename" '
        $1 == "deb" || $1 == "deb-src" {
          i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
          if ($(i + 1) == want) { print $i; exit }
        }' "$f")
      [[ -n $mirror ]] && break
    done
  fi
  shopt -u nullglob
  [[ -n $mirror ]] || die "no '$codename' archive found in /etc/apt/sources.list{,.d}; cannot locate Debian's pgvector source package."

  work=$(mktemp -d /tmp/prxy-pgvector.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/etc/sources.list.d" "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  signed=""
  [[ -f $keyring ]] && signed="[signed-by=$keyring] "
  printf 'deb-src %s%s %s main\n' "$signed" "$mirror" "$PGVECTOR_SUITE" > "$work/etc/sources.list"
  apt_private=(-o "Dir::Etc::SourceList=$work/etc/sources.list"
               -o "Dir::Etc::SourceParts=$work/etc/sources.list.d"
               -o "Dir::State::Lists=$work/lists"
               -o "Dir::Cache=$work/cache"
               -o "APT::Sandbox::User=root")
  log "fetching the pgvector source package ($PGVECTOR_SUITE) through a private apt configuration"
  apt-get "${apt_private[@]}" -qq update
  (cd "$work/src" && apt-get "${apt_private[@]}" -qq source --download-only pgvector >/dev/null)
  dsc=$(ls "$work"/src/pgvector_*.dsc | head -n1)
  [[ -n $dsc ]] || die "apt-get source did not download pgvector."
  (cd "$work/src" && dpkg-source --no-check -x "$(basename "$dsc")" pgvector >/dev/null)
  log "building $(basename "$dsc" .dsc)"
  # OPTFLAGS empty: no -march=native, so the build runs on any x86-64 machine it is copied to.
  make -s -C "$work/src/pgvector" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS="" -j"$(nproc)" >/dev/null
  make -s -C "$work/src/pgvector" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS="" install >/dev/null
  [[ -f "$pg_sharedir/extension/vector.control" ]] || die "pgvector built but vector.control is not installed."
  log "pgvector installed ($(grep -E '^default_version' "$pg_sharedir/extension/vector.control" | tr -d "' "))"
fi

# ---------------------------------------------------------------- npm tools
if tools_dir=$(prxy_find_tools_dir); then
  log "npm tools present in $tools_dir"
else
  tools_dir=$(prxy_default_tools_dir)
  mkdir -p "$tools_dir"
  log "npm install s3rver@$PRXY_S3RVER_VERSION sqlite-vec-linux-x64@$PRXY_SQLITE_VEC_VERSION into $tools_dir"
  npm install --prefix "$tools_dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "s3rver@$PRXY_S3RVER_VERSION" "sqlite-vec-linux-x64@$PRXY_SQLITE_VEC_VERSION" >/dev/null
  prxy_tools_ok "$tools_dir" || die "npm install finished but s3rver/vec0.so are missing under $tools_dir."
fi

echo "$tools_dir"
