#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz.sh: build the libFuzzer targets of tests/fuzz with clang, run each for a while, report.
#   build-aux/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 600 s, every target)
# Each target runs on a scratch corpus (_build-fuzz/fuzz-work/corpus/TARGET, kept
# between runs) seeded from tests/fuzz/corpus/TARGET and tests/fuzz/regressions/TARGET,
# which stay as they are. A crash, leak, timeout or OOM input is copied to
# tests/fuzz/regressions/TARGET/ for triage (fix it, keep the file: the
# 'fuzz-regressions' test replays it). FUZZ_MERGE=1 merges what the run
# found that adds coverage into tests/fuzz/corpus/TARGET (keep that small).
# FUZZ_NICE (default 15) and FUZZ_JOBS are passed on; the machine is shared.
set -eEuo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

all_targets=(rest-body rule csv timeline-query ws-message db-uri db-file)
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
case "$seconds" in ''|*[!0-9]*) echo "Usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2;; esac
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "Unknown target $t (known: ${all_targets[*]})" >&2; exit 2; }
done

# What the project needs, then clang and its libFuzzer runtime.
"$top/build-aux/synapse-dev" deps
missing=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
cc=clang
command -v clang >/dev/null || cc=clang-14

build=_build-fuzz
options=(-Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug)
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" "${options[@]}" >/dev/null
else
  CC=$cc meson setup "$build" "${options[@]}"
fi
nice -n "${FUZZ_NICE:-15}" meson compile -C "$build" $(for t in "${targets[@]}"; do echo "tests/fuzz/fuzz-$t"; done)

export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$top/build-aux/lsan.supp:print_suppressions=0"
export G_SLICE=always-malloc GSETTINGS_BACKEND=memory

work="$build/fuzz-work"
summary=()
status=0
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  artifacts="$work/artifacts/$t"
  log="$work/$t.log"
  mkdir -p "$corpus" "$artifacts" "tests/fuzz/regressions/$t"
  rm -f "$artifacts"/*
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  # No leak check after each input: with GLib built without frame pointers
  # the stacks are cut short, so build-aux/lsan.supp cannot name GLib's
  # one-time allocations (types, thread pools) and they pass for leaks; a
  # full unwind costs 50x the speed. The corpus is replayed at the end
  # instead, with LeakSanitizer's check at exit (real leaks are unreachable).
  echo "== $t: ${seconds} s"
  set +e
  nice -n "${FUZZ_NICE:-15}" "$build/tests/fuzz/fuzz-$t" \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=60 -rss_limit_mb=6144 \
    -artifact_prefix="$artifacts/" "${dict[@]}" -detect_leaks=0 \
    "$corpus" "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  found=0
  slow=0
  for f in "$artifacts"/*; do
    [ -f "$f" ] || continue
    case "$(basename "$f")" in
      slow-unit-*)
        # over 10 s once: worth a look, not a failure (the machine is shared)
        slow=$((slow + 1))
        echo "   slow input: $f (log: $log)"
        continue;;
    esac
    found=$((found + 1))
    if [ ! -s "$f" ] && grep -q 'LeakSanitizer' "$log"; then
      # the check at exit: no input to blame; find it with the per-input check
      echo "   leak at exit, input unknown: rerun with G_SLICE=always-malloc ASAN_OPTIONS=detect_leaks=1 $build/tests/fuzz/fuzz-$t -detect_leaks=1 $corpus (log: $log)"
      continue
    fi
    mkdir -p "tests/fuzz/regressions/$t" && cp "$f" "tests/fuzz/regressions/$t/"
    echo "   $(basename "$f") -> tests/fuzz/regressions/$t/ (log: $log)"
  done
  leak="no"
  if ! nice -n "${FUZZ_NICE:-15}" "$build/tests/fuzz/fuzz-$t" -runs=0 -detect_leaks=0 -timeout=60 \
       "$corpus" "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t" >"$work/$t-leaks.log" 2>&1; then
    leak="yes (log: $work/$t-leaks.log)"
    status=1
  fi
  if [ "$found" -gt 0 ] || [ "$rc" -ne 0 ]; then
    status=1
    grep -m1 -E 'ERROR: |runtime error|CRITICAL|assertion' "$log" | sed 's/^/   /' || true
  fi
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    nice -n "${FUZZ_NICE:-15}" "$build/tests/fuzz/fuzz-$t" -merge=1 "tests/fuzz/corpus/$t" "$corpus" >>"$log" 2>&1 || true
  fi
  line=$(printf '%-15s %6ss %10s runs %8s exec/s  cov %-6s ft %-6s crashes %s  slow %s  leaks %s' \
    "$t" "$seconds" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$found" "$slow" "$leak")
  echo "   $line"
  summary+=("$line")
done

echo
echo "target           time        runs      speed   coverage (edges, features)"
printf '%s\n' "${summary[@]}"
exit $status
