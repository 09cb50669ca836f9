# Shared by the eng/ scripts (sourced, not run).

PRXY_PG_BIN=${PRXY_PG_BIN:-/usr/lib/postgresql/15/bin}
PRXY_S3RVER_VERSION=3.7.1
PRXY_SQLITE_VEC_VERSION=0.1.9

prxy_package_version() { node -p 'require(process.argv[1]).version' "$1" 2>/dev/null; }

# True when DIR holds s3rver and sqlite-vec at the pinned versions.
prxy_tools_ok() {
  local dir=$1
  [[ -n $dir && -x "$dir/node_modules/.bin/s3rver" && -f "$dir/node_modules/sqlite-vec-linux-x64/vec0.so" ]] || return 1
  [[ $(prxy_package_version "$dir/node_modules/s3rver/package.json") == "$PRXY_S3RVER_VERSION" ]] || return 1
  [[ $(prxy_package_version "$dir/node_modules/sqlite-vec-linux-x64/package.json") == "$PRXY_SQLITE_VEC_VERSION" ]] || return 1
}

# Where the npm tools are (or go): $PRXY_TOOLS_DIR, a machine-wide copy, or the per-user cache.
prxy_default_tools_dir() { echo "${PRXY_TOOLS_DIR:-${HOME:-/root}/.cache/prxy-typed/tools}"; }

prxy_find_tools_dir() {
  local candidate
  for candidate in "${PRXY_TOOLS_DIR:-}" /opt/prxy-tools "${HOME:-/root}/.cache/prxy-typed/tools"; do
    if prxy_tools_ok "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}
