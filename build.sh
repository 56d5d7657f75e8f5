#!/usr/bin/env bash
# Bootstrap: restore the pinned Cake tool, then hand every argument to build.cake.
#   ./build.sh --target=Test     build once, run every test project, print "N passed, N failed"
#   ./build.sh --target=Lab      bring the network-namespace lab up (LabDown tears it down)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
summary=artifacts/test-results/summary.txt
rm -f "$summary"
rc=0
dotnet cake build.cake "$@" || rc=$?
# The plain "N passed, N failed" line closes the output of a test run, after Cake's task table.
[ -f "$summary" ] && cat "$summary"
exit $rc
