#!/usr/bin/env bash
# npm run deploy [-- --stage prod] | npm run remove [-- --stage prod]
#
# Deploys serverless.yml (component: multi-scf) with the pinned Components CLI
# (@serverless/components 3.18.2, a devDependency: node_modules/.bin/components) for Tencent
# (SERVERLESS_PLATFORM_VENDOR=tencent). Nothing is exported or blanked here: the CLI reads your
# shell and then .env itself, and so does the preflight. Serverless Framework v3+ would exit 0
# without deploying this file; see README, "Deploy", for `sls deploy` (v2) and `scf deploy`.
set -euo pipefail
cd "$(dirname "$0")/../.."
action="${1:-deploy}"
shift || true
export SERVERLESS_PLATFORM_VENDOR=tencent

# STAGE (shell) is the same as --stage; the component names functions <name>-<stage>-<app>-<key>.
args=("$@")
if [ -n "${STAGE:-}" ] && [[ " $* " != *" --stage "* ]]; then args+=(--stage "$STAGE"); fi

CLI=node_modules/.bin/components
if [ ! -x "$CLI" ]; then echo "deploy: $CLI is missing; run npm ci first" >&2; exit 1; fi

if [ "$action" = "deploy" ]; then
  npm run --silent build
  npx tsx scripts/deploy/preflight.ts "${args[@]}"
  npx tsx scripts/deploy/check-bucket.ts "${args[@]}"
  npm run --silent check:deploy
  "$CLI" deploy "${args[@]}"
elif [ "$action" = "remove" ]; then
  "$CLI" remove "${args[@]}"
else
  echo "usage: scripts/deploy/deploy.sh deploy|remove [--stage <stage>]" >&2
  exit 2
fi
