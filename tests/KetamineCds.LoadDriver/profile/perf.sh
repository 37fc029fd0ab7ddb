#!/bin/bash
# CPU profile of the service under load with Linux perf (not dotnet-trace: its sampler counts threads blocked in native
# code, the finalizer thread's wait and the thread pool's semaphore, as CPU, and suspends the runtime to take samples,
# which shows up as GC polls in whatever was running). JIT-compiled code is named through the runtime's perf map.
# Usage (from the repository root, after the load driver has published the service and written the bodies):
#   dotnet run -c Release --project tests/KetamineCds.LoadDriver -- --quick --callers 1        # publishes the service
#   dotnet run -c Release --project tests/KetamineCds.LoadDriver -- --write-bodies artifacts/bodies
#   tests/KetamineCds.LoadDriver/profile/perf.sh [callers, default 8] [body, default patient-view-typical.json]
# Needs perf (apt-get install linux-perf) and wrk; authentication off; prints where the service's CPU time goes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
callers=${1:-8}
body=$root/artifacts/bodies/${2:-patient-view-typical.json}
port=27011
out=$(mktemp -d)
(cd "$root/artifacts/load-driver/service" && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$port CdsHooks__PublicBaseUrl=http://127.0.0.1:$port \
  CdsHooks__RequireAuthentication=false CdsHooks__InsecureAllowUnauthenticatedCallsOutsideDevelopment=true \
  CdsHooks__RateLimitPermits=1000000 CdsHooks__RateLimitWindow=00:00:01 Storage__PatientKeySecret=profile-patient-key-secret \
  Storage__DataDirectory="$out" exec dotnet KetamineCds.Api.dll >/dev/null 2>&1) &
service=$!
trap 'kill $service 2>/dev/null || true; rm -f /tmp/perf-$service.map' EXIT
for _ in $(seq 1 240); do curl -sf http://127.0.0.1:$port/health/ready >/dev/null && break; sleep 0.25; done
url=http://127.0.0.1:$port/cds-services/ketamine-trd-screening
BODY=$body wrk -t1 -c"$callers" -d15s -s "$root/tests/KetamineCds.LoadDriver/wrk/post.lua" "$url" >/dev/null  # warm: tiered JIT done
BODY=$body wrk -t1 -c"$callers" -d16s -s "$root/tests/KetamineCds.LoadDriver/wrk/post.lua" "$url" >/dev/null &
sleep 2
perf record -F 1999 -g -p $service -o "$out/perf.data" -- sleep 12 >/dev/null 2>&1
wait %2 || true
echo "## Where the CPU goes ($callers caller(s), $(basename "$body"); share of all the service's samples)"
echo; echo '### By binary'
perf report -i "$out/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep . | head -8
echo; echo '### Inclusive: the request path and the parts of it'
perf report -i "$out/perf.data" --children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' \
  | grep -E 'ProcessRequests|HookAuditMiddleware\+|InvokeServiceAsync|GetPatientDataAsync|RuleDataReader::TryRead|HookRequestParser::Parse|JsonDocument::Parse\(valuetype \[System.Runtime\]System.ReadOnlyMemory|ClinicalEngine::Evaluate|AuditWriter\+<RunAsync>|JsonHttpResult|ZLoggerLogger::Log\(' \
  | grep -v AsyncStateMachineBox | grep -v '^ *0\.0' | sed -E 's/\[OptimizedTier1\]|\(valuetype.*|\(class.*|instance |void |class //g' | cut -c1-150
echo; echo '### Top 15 functions by own time'
perf report -i "$out/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' | grep . | head -15 | cut -c1-150
echo; echo "perf data: $out/perf.data (perf report -i ... needs /tmp/perf-$service.map, removed on exit; keep it with KEEP_MAP=1)"
if [ "${KEEP_MAP:-0}" = 1 ]; then trap 'kill $service 2>/dev/null || true' EXIT; fi
