#!/usr/bin/env bash
# The FactoryMesh demo in one command: the control plane plus one simulated site agent per example site
# (sites/*.json), so the dashboard shows a living fleet: nodes registering, heartbeating, attesting.
#
#   sites/demo.sh                 # then open the URL it prints; Ctrl+C stops everything
#
# Settings (environment): DEMO_PORT (5080), DEMO_NODES per site (8), DEMO_DIR (sites/.demo),
# DEMO_MAX_AGE_SECONDS: how long an attestation stays fresh (120, short so re-attestation shows; the server's own default is 600).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
port="${DEMO_PORT:-5080}"
nodes="${DEMO_NODES:-8}"
demo="${DEMO_DIR:-$here/.demo}"
max_age="${DEMO_MAX_AGE_SECONDS:-120}"
server_url="http://localhost:$port"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "Building the server and the site agent (Release)..."
dotnet build "$root/src/FactoryMesh.Server/FactoryMesh.Server.csproj" -c Release -v quiet -nologo >/dev/null
dotnet build "$here/FactoryMesh.SiteAgent/FactoryMesh.SiteAgent.csproj" -c Release -v quiet -nologo >/dev/null
server_dll="$root/src/FactoryMesh.Server/bin/Release/net10.0/FactoryMesh.Server.dll"
agent_dll="$here/FactoryMesh.SiteAgent/bin/Release/net10.0/FactoryMesh.SiteAgent.dll"
agent() { dotnet "$agent_dll" "$@"; }

mkdir -p "$demo/agents"
demo="$(cd "$demo" && pwd)"
chmod 700 "$demo"

# The simulated GPU vendor and the simulated verifiers (NVIDIA's, Trustee's, Intel's): created once and kept in
# $demo/vendor. Nothing trusts them by default; the server below is told to, explicitly, and to accept exactly the
# simulated measurements (the appraisal policy, reloaded when the file changes).
root_pem="$(agent vendor-root --vendor-dir "$demo/vendor")"
mapfile -t verifier_settings < <(agent verifier-issuers --vendor-dir "$demo/vendor")
agent reference-values > "$demo/appraisal-policy.json"

# Each site's nodes answer challenges in another evidence format, so every appraisal path shows on the dashboard.
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

echo "Starting the control plane at $server_url (log: $demo/server.log)"
dotnet "$server_dll" \
  --urls "$server_url" \
  "--contentRoot=$root/src/FactoryMesh.Server" \
  "--FactoryMesh:DataDirectory=$demo/server" \
  "--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0=$root_pem" \
  "${verifier_settings[@]}" \
  "--FactoryMesh:Attestation:AppraisalPolicyPath=$demo/appraisal-policy.json" \
  "--FactoryMesh:Attestation:MaxAgeSeconds=$max_age" \
  >"$demo/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 1 180); do
  if curl -fsS "$server_url/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "The server exited while starting:" >&2
    tail -n 30 "$demo/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$server_url/readyz" >/dev/null || { echo "The server did not become ready; see $demo/server.log" >&2; exit 1; }
operator_token="$(cat "$demo/server/operator.token")"

for site_file in "$here"/*.json; do
  site_id="$(basename "$site_file" .json)"
  grep -q "\"siteId\": *\"$site_id\"" "$site_file" || { echo "$site_file: its siteId must match its file name" >&2; exit 1; }

  # As the operator: create the site from its file, and issue the site's agent a token for that site only.
  agent site-request --site "$site_file" \
    | curl -fsS -X PUT "$server_url/api/v1/sites/$site_id" \
        -H "Authorization: Bearer $operator_token" -H "Content-Type: application/json" --data-binary @- >/dev/null
  issued="$(curl -fsS -X POST "$server_url/api/v1/tokens" \
    -H "Authorization: Bearer $operator_token" -H "Content-Type: application/json" \
    --data "{\"role\":\"agent\",\"site\":\"$site_id\",\"subject\":\"demo-agent-$site_id\",\"lifetimeHours\":168}")"
  mkdir -p "$demo/agents/$site_id"
  (umask 077 && printf '%s' "$issued" | sed -E 's/.*"token":"([^"]+)".*/\1/' >"$demo/agents/$site_id/agent.token")

  format="${site_format[$site_id]:-sim-jws}"
  echo "Starting the agent of $site_id with $nodes simulated nodes answering in $format (log: $demo/agents/$site_id.log)"
  dotnet "$agent_dll" \
    --site "$site_file" --server "$server_url" \
    --token-file "$demo/agents/$site_id/agent.token" \
    --data "$demo/agents/$site_id" --vendor-dir "$demo/vendor" \
    --simulate "$nodes" --simulate-format "$format" \
    >"$demo/agents/$site_id.log" 2>&1 &
  pids+=("$!")
done

cat <<INFO

The fleet is up. Open the dashboard (the token is in the URL fragment, which the browser never sends to the server):

  $server_url/#token=$operator_token

Inject faults into a site's simulated nodes by writing its fault file, e.g.:

  echo '{"node-002": ["stop-attesting"]}' > $demo/agents/eu-fra-1/faults.json   # goes Stale within $max_age s
  echo '{"node-003": ["debug-on"]}'       > $demo/agents/eu-par-1/faults.json   # attests with debug on: Untrusted
  echo '{"*": ["stop-heartbeats"]}'       > $demo/agents/in-mum-1/faults.json   # Suspect, then NotReady
  rm $demo/agents/eu-fra-1/faults.json                                          # lifts them

Ctrl+C stops the server and the agents; their state stays in $demo for the next run.
INFO
wait
