#!/bin/bash
# Our service (authentication off), the CDS Hooks reference service (Node) and the bare-Kestrel ceiling, one after the
# other, measured with the same light client (wrk -t1): each warmed 20 s at one caller, then 10 s at 1 and 10 s at 8.
# Usage (from the repository root, after the load driver has published the service and written the bodies):
#   dotnet run -c Release --project tests/KetamineCds.LoadDriver -- --quick --callers 1        # publishes the service
#   dotnet run -c Release --project tests/KetamineCds.LoadDriver -- --write-bodies artifacts/bodies
#   tests/KetamineCds.LoadDriver/wrk/compare.sh /path/to/sandbox-cds-services
# Needs wrk (apt-get install wrk) and, for the reference, node with `npm install` done in its checkout.
# CPU per call: the server process's user + system CPU time (/proc/PID/stat) over a measured run divided by the requests
# it answered; unlike requests/s it does not depend on how much of the two cores the client and the rest of the machine
# take, so it is the steadier number on a shared machine. At one caller it includes the thread pool's spinning.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
reference=${1:?path to a cds-hooks/sandbox-cds-services checkout}
bodies=$root/artifacts/bodies
lua=$root/tests/KetamineCds.LoadDriver/wrk/post.lua
python3 - "$bodies" <<'PY'
import json, sys
b = json.load(open(sys.argv[1] + "/patient-view-typical.json"))
g = {"hookInstance": b["hookInstance"], "hook": "patient-view", "context": b["context"], "prefetch": {"patient": b["prefetch"]["patient"]}}
open(sys.argv[1] + "/greeting.json", "w").write(json.dumps(g, separators=(",", ":")))
PY

wait_ready() { for _ in $(seq 1 240); do curl -sf "$1" >/dev/null && return 0; sleep 0.25; done; echo "not ready: $1" >&2; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks
per_call_us() { # ticks_before ticks_after wrk_output
  awk -v t="$(( $2 - $1 ))" -v hz="$(getconf CLK_TCK)" '/requests in/{printf "%.0f", t * 1000000 / hz / $1}' <<<"$3"
}
measure() { # name url body pid
  BODY=$3 wrk -t1 -c1 -d20s -s "$lua" "$2" >/dev/null
  local r1 r8 c0 c1 c2
  c0=$(cpu_ticks "$4")
  r1=$(BODY=$3 wrk -t1 -c1 -d10s -s "$lua" --latency "$2")
  c1=$(cpu_ticks "$4")
  r8=$(BODY=$3 wrk -t1 -c8 -d10s -s "$lua" --latency "$2")
  c2=$(cpu_ticks "$4")
  echo "| $1 | $(awk '/ 50%/{print $2}' <<<"$r1") | $(awk '/ 99%/{print $2}' <<<"$r1") | $(per_call_us "$c0" "$c1" "$r1") | $(awk '/Requests\/sec/{print $2}' <<<"$r8") | $(awk '/ 50%/{print $2}' <<<"$r8") | $(per_call_us "$c1" "$c2" "$r8") | $(grep -c 'Non-2xx' <<<"$r8$r1" || true) |"
}

echo "| Server | p50, 1 caller | p99, 1 caller | CPU µs per call, 1 caller | Requests/s, 8 callers | p50, 8 callers | CPU µs per call, 8 callers | runs with non-2xx |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"

# From its own folder, as deployed: the content root, where its appsettings.json (logging levels) is read.
(cd "$root/artifacts/load-driver/service" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:27001 \
  CdsHooks__PublicBaseUrl=http://127.0.0.1:27001 CdsHooks__RequireAuthentication=false \
  CdsHooks__InsecureAllowUnauthenticatedCallsOutsideDevelopment=true CdsHooks__RateLimitPermits=1000000 \
  CdsHooks__RateLimitWindow=00:00:01 Storage__PatientKeySecret=compare-patient-key-secret \
  Storage__DataDirectory="$(mktemp -d)" exec dotnet KetamineCds.Api.dll >/dev/null 2>&1) &
service=$!
wait_ready http://127.0.0.1:27001/health/ready
measure "ours, patient-view, 23 resources, authentication off" http://127.0.0.1:27001/cds-services/ketamine-trd-screening "$bodies/patient-view-typical.json" $service
kill $service; wait $service 2>/dev/null || true

(cd "$reference" && PORT=27005 exec node server.js >/dev/null 2>&1) &
node=$!
wait_ready http://127.0.0.1:27005/cds-services
measure "reference service (Node), patient-greeting" http://127.0.0.1:27005/cds-services/patient-greeting "$bodies/greeting.json" $node
kill $node; wait $node 2>/dev/null || true

ASPNETCORE_ENVIRONMENT=Production dotnet "$root/tests/KetamineCds.LoadDriver/bin/Release/net10.0/KetamineCds.LoadDriver.dll" --ceiling 27006 >/dev/null 2>&1 &
ceiling=$!
wait_ready http://127.0.0.1:27006/health/ready
measure "bare Kestrel ceiling (same body)" http://127.0.0.1:27006/cds-services/x "$bodies/patient-view-typical.json" $ceiling
kill $ceiling; wait $ceiling 2>/dev/null || true
