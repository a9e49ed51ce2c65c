#!/usr/bin/env bash
# Installs what kfsim needs beyond the Swift toolchain (GSL and pkg-config) when it is missing.
# Sourced by the other scripts; safe to run on its own.
set -euo pipefail

need=()
pkg-config --exists gsl 2>/dev/null || need+=(libgsl-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
    echo "kfsim: installing ${need[*]}" >&2
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || { echo "kfsim: the Swift toolchain (swift) is not on PATH" >&2; exit 1; }

# The release build the scripts run: the Swift runtime and Foundation linked statically, so a run
# starts without resolving thousands of shared-library symbols (about 6 ms of a 70 ms openb replay);
# and, on Linux, a position-dependent executable (-no-pie): the loader applies no relocations to the
# binary's Swift metadata at start (about 300 pages written, a third of a short run's page faults).
# Only with the static runtime: against the shared one, a position-dependent binary makes the loader
# warn about protected symbols.
build_release() {
    local link=()
    if [ "$(uname -s)" = Linux ]; then link=(-Xlinker -no-pie); fi
    swift build -c release --product kfsim --static-swift-stdlib "${link[@]}" >&2
}
