#!/usr/bin/env bash
# The FactoryMesh demo in one command: the control plane, one simulated site agent per example site (sites/*.json),
# and the story the product exists for, told on the dashboard as it happens:
#   two tenants (one EU-only that requires a TDX TEE, one global that wants the least energy per token),
#   a model for each encrypted under its tenant's key, placed where policy allows at the best cost or energy,
#   its key released only into attested nodes (the agents' TEEs open the weights), and after a while a fault:
#   a node holding a replica stops attesting, turns Stale, and its replica moves within the grace period.
#
#   sites/demo.sh                 # then open the URL it prints; Ctrl+C stops everything
#
# Settings (environment): DEMO_PORT (5080), DEMO_SILO_PORT (11111), DEMO_NODES per site (8), DEMO_DIR (sites/.demo),
# DEMO_MAX_AGE_SECONDS: how long an attestation stays fresh (120, short so re-attestation shows; the server's own default is 600),
# DEMO_GRACE_SECONDS (30): how long a replica may stay on a Stale node, DEMO_HEARTBEAT_SECONDS (5),
# DEMO_FAULT_AFTER_SECONDS (60): when the fault is injected after the models are placed,
# DEMO_UNATTENDED=1: exit 0 once the replica has moved (non-zero, naming the step, if any step times out),
# DEMO_STEP_TIMEOUT_SECONDS (300), DEMO_CONFIGURATION (Release), DEMO_BUILD=0: use the existing build.
# It needs the .NET 10 SDK, npm (the server's build), curl and jq.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
port="${DEMO_PORT:-5080}"
nodes="${DEMO_NODES:-8}"
demo="${DEMO_DIR:-$here/.demo}"
max_age="${DEMO_MAX_AGE_SECONDS:-120}"
grace="${DEMO_GRACE_SECONDS:-30}"
heartbeat="${DEMO_HEARTBEAT_SECONDS:-5}"
fault_after="${DEMO_FAULT_AFTER_SECONDS:-60}"
step_timeout="${DEMO_STEP_TIMEOUT_SECONDS:-300}"
configuration="${DEMO_CONFIGURATION:-Release}"
unattended="${DEMO_UNATTENDED:-0}"
silo_port="${DEMO_SILO_PORT:-11111}"
server_url="http://localhost:$port"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for tool in dotnet curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "demo: needs $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done

if [ "${DEMO_BUILD:-1}" != 0 ]; then
  echo "Building the server, the site agent and fmctl ($configuration)..."
  for project in src/FactoryMesh.Server sites/FactoryMesh.SiteAgent tools/FactoryMesh.Cli; do
    dotnet build "$root/$project" -c "$configuration" -v quiet -nologo >/dev/null
  done
fi
server_dll="$root/src/FactoryMesh.Server/bin/$configuration/net10.0/FactoryMesh.Server.dll"
agent_dll="$here/FactoryMesh.SiteAgent/bin/$configuration/net10.0/FactoryMesh.SiteAgent.dll"
fmctl_dll="$root/tools/FactoryMesh.Cli/bin/$configuration/net10.0/fmctl.dll"
for dll in "$server_dll" "$agent_dll" "$fmctl_dll"; do
  [ -f "$dll" ] || { echo "demo: $dll is not built (run without DEMO_BUILD=0)" >&2; exit 1; }
done
agent() { dotnet "$agent_dll" "$@"; }
fm() { dotnet "$fmctl_dll" --server "$server_url" "$@"; }

mkdir -p "$demo/agents"
demo="$(cd "$demo" && pwd)"
chmod 700 "$demo"
# Faults written during an earlier run would greet this one: lift them.
rm -f "$demo"/agents/*/faults.json

# The simulated GPU vendor and the simulated verifiers (NVIDIA's, Trustee's, Intel's): created once and kept in
# $demo/vendor. Nothing trusts them by default; the server below is told to, explicitly, and to accept exactly the
# simulated measurements (the appraisal policy, reloaded when the file changes).
root_pem="$(agent vendor-root --vendor-dir "$demo/vendor")"
mapfile -t verifier_settings < <(agent verifier-issuers --vendor-dir "$demo/vendor")
agent reference-values > "$demo/appraisal-policy.json"

# Each site's nodes answer challenges in another evidence format, so every appraisal path shows on the dashboard.
# sim-jws nodes report TEE kind SIM, the verifier formats TDX: the EU tenant below requires TDX.
declare -A site_format=([eu-fra-1]=sim-jws [eu-par-1]=nvidia-eat [eu-sto-1]=ear-jwt [in-mum-1]=ita-jwt [us-east-1]=sim-jws)

pids=()
stop_all() {
  trap - EXIT INT TERM
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT INT TERM

fail() {
  echo "demo: $1 (logs: $demo/server.log, $demo/agents/*.log)" >&2
  exit 1
}

# Runs "$@" until it succeeds, at most $step_timeout seconds; names what was awaited when it never does.
await() {
  local what="$1"; shift
  local deadline=$((SECONDS + step_timeout))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what did not happen within $step_timeout s"
    sleep 1
  done
}

echo "Starting the control plane at $server_url (log: $demo/server.log)"
dotnet "$server_dll" \
  --urls "$server_url" \
  "--contentRoot=$root/src/FactoryMesh.Server" \
  "--FactoryMesh:DataDirectory=$demo/server" \
  "--FactoryMesh:Silo:Port=$silo_port" \
  "--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0=$root_pem" \
  "${verifier_settings[@]}" \
  "--FactoryMesh:Attestation:AppraisalPolicyPath=$demo/appraisal-policy.json" \
  "--FactoryMesh:Attestation:MaxAgeSeconds=$max_age" \
  "--FactoryMesh:Heartbeat:IntervalSeconds=$heartbeat" \
  "--FactoryMesh:Placement:GraceSeconds=$grace" \
  "--FactoryMesh:Placement:MinRemainingFreshnessSeconds=$((max_age / 4))" \
  >"$demo/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
server_ready() {
  kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$demo/server.log" >&2; fail "the server exited while starting"; }
  curl -fsS "$server_url/readyz" >/dev/null 2>&1
}
await "the server's readiness" server_ready
operator_token="$(cat "$demo/server/operator.token")"
export FACTORYMESH_TOKEN="$operator_token"
api() { curl -fsS "$server_url$1" -H "Authorization: Bearer $operator_token"; }

site_count=0
for site_file in "$here"/*.json; do
  site_id="$(basename "$site_file" .json)"
  grep -q "\"siteId\": *\"$site_id\"" "$site_file" || fail "$site_file: its siteId must match its file name"

  # As the operator: create the site from its file, and issue the site's agent a token for that site only.
  agent site-request --site "$site_file" \
    | curl -fsS -X PUT "$server_url/api/v1/sites/$site_id" \
        -H "Authorization: Bearer $operator_token" -H "Content-Type: application/json" --data-binary @- >/dev/null
  mkdir -p "$demo/agents/$site_id"
  (umask 077 && fm tokens issue --role agent --site "$site_id" --subject "demo-agent-$site_id" --lifetime-hours 168 \
    >"$demo/agents/$site_id/agent.token")

  format="${site_format[$site_id]:-sim-jws}"
  echo "Starting the agent of $site_id with $nodes simulated nodes answering in $format (log: $demo/agents/$site_id.log)"
  dotnet "$agent_dll" \
    --site "$site_file" --server "$server_url" \
    --token-file "$demo/agents/$site_id/agent.token" \
    --data "$demo/agents/$site_id" --vendor-dir "$demo/vendor" --artifacts "$demo/artifacts" \
    --simulate "$nodes" --simulate-format "$format" --interval "$heartbeat" \
    "--FactoryMesh:Agent:Attestation:MaximumRetrySeconds=$((max_age / 4))" \
    >"$demo/agents/$site_id.log" 2>&1 &
  pids+=("$!")
  site_count=$((site_count + 1))
done

cat <<INFO

The fleet is coming up. Open the dashboard (the token is in the URL fragment, which the browser never sends to the server):

  $server_url/#token=$operator_token

INFO

# --- The story ---------------------------------------------------------------------------------------------------
eu_tenant=eu-bank eu_model=assistant-eu
global_tenant=global-lab global_model=summarizer
story_started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

echo "1. Two tenants: $eu_tenant may run only in the EU and only on TDX nodes, at the lowest cost;"
echo "   $global_tenant may run anywhere, at the least energy per token."
fm tenants put "$eu_tenant" --allow-zone EU --require-tee TDX --weight-cost 1 --weight-energy 0 --weight-carbon 0 >/dev/null
fm tenants put "$global_tenant" --weight-cost 0 --weight-energy 1 --weight-carbon 0 >/dev/null

echo "2. A model for each (random weights standing in for real ones), encrypted under a fresh data key that only its"
echo "   tenant's key-encryption key unwraps, inside the control plane (fmctl model encrypt)."
mkdir -p "$demo/models"
weights="$demo/models/weights.bin"
[ -s "$weights" ] || head -c $((4 * 1024 * 1024)) /dev/urandom >"$weights"
for pair in "$eu_tenant/$eu_model" "$global_tenant/$global_model"; do
  tenant="${pair%/*}" model="${pair#*/}"
  fm models put "$tenant" "$model" --gpu-memory-gib 80 --replicas 2 \
    --tokens-per-second H100=3000 --tokens-per-second H200=4200 --tokens-per-second B200=9000 >/dev/null
  mkdir -p "$demo/artifacts/$tenant"
  artifact="$demo/artifacts/$tenant/$model.fma"
  sealed="$(fm --output json model encrypt "$weights" --tenant "$tenant" --out "$artifact" --force \
    --register "$model" --artifact-uri "file://$artifact")"
  jq -r .sha256 <<<"$sealed" >"$demo/artifacts/$tenant/$model.sha256"
  echo "   $pair: $(du -h "$artifact" | cut -f1) sealed in $artifact"
done

all_trusted() {
  [ "$(api /api/v1/sites | jq '[.[] | .trusted] | add // 0')" -ge $((site_count * nodes)) ]
}
echo "3. Waiting until all $((site_count * nodes)) nodes have attested..."
await "every node's attestation" all_trusted

echo "4. Placing both models (fmctl models place):"
for pair in "$eu_tenant/$eu_model" "$global_tenant/$global_model"; do
  fm models place "${pair%/*}" "${pair#*/}" | sed 's/^/   /'
done
echo "   Why there and nowhere else (fmctl models explain $eu_tenant $eu_model):"
fm models explain "$eu_tenant" "$eu_model" --limit 5 | sed 's/^/   /'

replicas_of() { api "/api/v1/tenants/$1/models/$2" | jq -r '.replicas[].nodeId'; }

# True once the agent of $3's site logged that $3's TEE opened the key of $1/$2 and the weights matched their digest.
loaded_on() {
  grep -q "Replica $1/$2 (placement [0-9]*) loaded on $3:" "$demo/agents/${3%%/*}.log"
}
all_loaded() {
  local tenant="$1" model="$2" node
  for node in $(replicas_of "$tenant" "$model"); do loaded_on "$tenant" "$model" "$node" || return 1; done
}
echo "5. The agents fetch each replica's key, wrapped to the key their node's TEE attested, and open the weights inside it..."
for pair in "$eu_tenant/$eu_model" "$global_tenant/$global_model"; do
  await "loading $pair on its nodes" all_loaded "${pair%/*}" "${pair#*/}"
  echo "   $pair loaded on $(replicas_of "${pair%/*}" "${pair#*/}" | paste -sd ' ')"
done
releases="$(api "/api/v1/audit?since=$story_started&limit=1000" | jq '[.[] | select(.entry.kind == "key-release")] | length')"
echo "   $releases key releases in the audit ledger since the story began (fmctl audit list shows them)."

victim="$(replicas_of "$eu_tenant" "$eu_model" | head -n 1)"
victim_site="${victim%%/*}"
echo
echo "6. In $fault_after s, $victim stops attesting. Watch its badge count down, turn Stale, and within $grace s its"
echo "   replica of $eu_tenant/$eu_model move to another EU TDX node."
sleep "$fault_after"
printf '{"%s": ["stop-attesting"]}\n' "${victim#*/}" >"$demo/agents/$victim_site/faults.json"
fault_at=$SECONDS
echo "   Fault injected: $demo/agents/$victim_site/faults.json"

moved() {
  local now
  now="$(replicas_of "$eu_tenant" "$eu_model")"
  [ "$(wc -w <<<"$now")" -eq 2 ] && ! grep -qx "$victim" <<<"$now"
}
await "the move of $victim's replica" moved
await "loading $eu_tenant/$eu_model on its new node" all_loaded "$eu_tenant" "$eu_model"
echo "   Moved $((SECONDS - fault_at)) s after the fault: $eu_tenant/$eu_model now runs on $(replicas_of "$eu_tenant" "$eu_model" | paste -sd ' ')."

cat <<INFO

The story is told. Try more while it runs (the agent reads its fault file twice a second):

  echo '{"node-003": ["debug-on"]}'       > $demo/agents/eu-par-1/faults.json   # attests with debug on: Untrusted
  echo '{"*": ["stop-heartbeats"]}'       > $demo/agents/in-mum-1/faults.json   # Suspect, then NotReady
  rm $demo/agents/$victim_site/faults.json                                      # lifts the fault: it attests at once

The fleet in the terminal, and the audit trail of all of it:

  FACTORYMESH_TOKEN=\$(cat $demo/server/operator.token) dotnet $fmctl_dll --server $server_url top
  FACTORYMESH_TOKEN=\$(cat $demo/server/operator.token) dotnet $fmctl_dll --server $server_url audit list --limit 20

Ctrl+C stops the server and the agents; their state stays in $demo for the next run.
INFO
if [ "$unattended" = 1 ]; then
  echo "demo: finished: models placed, keys released, $victim's replica moved"
  exit 0
fi
wait
