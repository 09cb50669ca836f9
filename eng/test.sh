#!/usr/bin/env bash
# The test command: install (if needed) → start the real services → build (warnings are errors) → pack → check
# the package → build and run samples/PackageSmoke against the packed package → dotnet test every test project →
# stop the services. The last line is "N passed, N failed, N skipped"; the exit code is non-zero on any failure.
#
# Environment: CI=true makes a missing service a failure. PRXY_PORT_RANGE=LOW-HIGH limits the service ports.
# PRXY_SKIP_INSTALL=1 skips eng/install.sh. Extra arguments are passed to every `dotnet test` (e.g. --filter X).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1
started=$SECONDS

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1   # no MSBuild worker processes outlive the run

results_dir="$repo/artifacts/test-results"
packages_dir="$repo/artifacts/packages"
smoke_packages="$repo/artifacts/smoke-packages"
passed=0 failed=0 skipped=0
failures=()

step() { printf '\n==> %s\n' "$*"; }
fail_step() { failures+=("$1"); failed=$((failed + 1)); printf 'FAILED: %s\n' "$1"; }

. "$repo/eng/services.sh"

finish() {
  prxy_services_stop
  local elapsed=$((SECONDS - started))
  echo
  if ((${#failures[@]})); then
    printf 'FAILED: %s\n' "${failures[@]}"
  fi
  printf 'eng/test.sh: %d min %02d s\n' $((elapsed / 60)) $((elapsed % 60))
  echo "$passed passed, $failed failed, $skipped skipped"
  ((failed == 0)) && exit 0
  exit 1
}
trap 'prxy_services_stop' EXIT
trap 'fail_step "interrupted"; finish' INT TERM

# ---------------------------------------------------------------- install
if [[ ${PRXY_SKIP_INSTALL:-} != 1 ]]; then
  step "install (eng/install.sh)"
  if ! "$repo/eng/install.sh" >/dev/null; then
    if [[ ${CI:-} == true ]]; then fail_step "eng/install.sh"; finish; fi
    echo "WARNING: eng/install.sh failed; services that are missing will be skipped"
  fi
fi

# ---------------------------------------------------------------- services
step "start services (eng/services.sh)"
if ! prxy_services_start "$$"; then
  fail_step "services did not start (CI=true)"
  finish
fi

# ---------------------------------------------------------------- build
step "dotnet build Prxy.Typed.sln -c Release (warnings are errors)"
if ! dotnet build "$repo/Prxy.Typed.sln" -c Release -warnaserror -nologo -clp:Summary; then
  fail_step "dotnet build"
  finish
fi

# ---------------------------------------------------------------- pack
step "dotnet pack into artifacts/packages"
rm -f "$packages_dir"/*.nupkg
for project in src/Runtime/Prxy.Typed src/Migrations/Prxy.Typed.Migrations; do
  if ! dotnet pack "$repo/$project" -c Release --no-build -nologo -o "$packages_dir"; then
    fail_step "dotnet pack $project"
    finish
  fi
done
version=$(dotnet msbuild "$repo/src/Runtime/Prxy.Typed" -getProperty:Version -p:Configuration=Release)
nupkg="$packages_dir/Prxy.Typed.$version.nupkg"
if [[ ! -f $nupkg ]]; then
  fail_step "pack: $nupkg was not produced"
  finish
fi
if unzip -l "$nupkg" | grep -q ' analyzers/dotnet/cs/Prxy\.Typed\.Generators\.dll$'; then
  echo "Prxy.Typed $version carries analyzers/dotnet/cs/Prxy.Typed.Generators.dll"
else
  fail_step "Prxy.Typed.$version.nupkg has no analyzers/dotnet/cs/Prxy.Typed.Generators.dll"
fi

# ---------------------------------------------------------------- package smoke
step "samples/PackageSmoke against Prxy.Typed $version from artifacts/packages"
# A private packages folder, emptied first: a stale global cache entry can never stand in for the new package.
rm -rf "$smoke_packages"
smoke=(-p:PrxyTypedVersion="$version" -nologo)
if dotnet restore samples/PackageSmoke --packages "$smoke_packages" --force "${smoke[@]}" \
   && dotnet build samples/PackageSmoke -c Release --no-restore -warnaserror "${smoke[@]}" \
   && dotnet run --project samples/PackageSmoke -c Release --no-build; then
  :
else
  fail_step "samples/PackageSmoke"
fi

# ---------------------------------------------------------------- tests
# Prints "passed failed skipped" from one `dotnet test` log: the one-line summary of the minimal console logger
# ("Passed!  - Failed: 0, Passed: 4, Skipped: 0, …") or the block of the normal one ("Total tests: 4 / Passed: 4 …").
test_counts() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '
    match($0, /^[A-Za-z]+! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/) {
      line = $0; gsub(/[^0-9,]/, "", line); split(line, n, ",")
      f = n[1]; p = n[2]; s = n[3]; found = 1; block = 0; next
    }
    /^Total tests: +[0-9]+/ { p = 0; f = 0; s = 0; found = 1; block = 1; next }
    block && /^ +Passed: +[0-9]+/  { p = $2 }
    block && /^ +Failed: +[0-9]+/  { f = $2 }
    block && /^ +Skipped: +[0-9]+/ { s = $2 }
    /^ +Total time:/ { block = 0 }
    END { if (found) print p + 0, f + 0, s + 0; else exit 1 }'
}

rm -rf "$results_dir"
mkdir -p "$results_dir"
# Every project under tests/ except those that declare themselves no test project (helpers, child processes).
mapfile -t test_projects < <(find tests -mindepth 2 -maxdepth 2 -name '*.csproj' -exec grep -L '<IsTestProject>false</IsTestProject>' {} + | sort)
for project in "${test_projects[@]}"; do
  name=$(basename "$project" .csproj)
  step "dotnet test $name"
  log="$results_dir/$name.log"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" --results-directory "$results_dir" \
    --blame-hang-timeout 5min --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if counts=$(test_counts "$log"); then
    read -r p f k <<< "$counts"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
    ((f > 0)) && failures+=("$name: $f test(s)")
    if ((rc != 0 && f == 0)); then fail_step "$name: dotnet test exited $rc"; fi
  elif ((rc != 0)); then
    fail_step "$name: dotnet test exited $rc without a summary (crash or hang)"
  else
    echo "$name: no tests"
  fi
done

step "stop services"
finish
