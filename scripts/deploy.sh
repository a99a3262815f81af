#!/usr/bin/env bash
# npm run deploy | npm run remove
#
# serverless.yml is a Tencent Serverless Components file (component: multi-scf). Serverless
# Framework v3 and later print a notice and exit 0 WITHOUT deploying such a file, so this script
# runs the Components CLI (@serverless/components, through npx: about 150 MB, not a project
# dependency) with SERVERLESS_PLATFORM_VENDOR=tencent.
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:-deploy}"
COMPONENTS="@serverless/components@3.18.2"

: "${TENCENT_SECRET_ID:?TENCENT_SECRET_ID, the Tencent Cloud API key of the deployer, is not set}"
: "${TENCENT_SECRET_KEY:?TENCENT_SECRET_KEY is not set}"
export SERVERLESS_PLATFORM_VENDOR=tencent
export STAGE="${STAGE:-dev}"
export SCF_REGION="${SCF_REGION:-ap-guangzhou}"

# Every ${env:X} of serverless.yml is exported (empty when unset, which the functions read as
# "not set"), so the file resolves the same way whatever the deployer's shell holds.
for name in $(grep -o '\${env:[A-Z0-9_]*}' serverless.yml | sed -e 's/^\${env://' -e 's/}$//' | sort -u); do
  export "${name}=${!name-}"
done

if [ "$action" = "deploy" ]; then
  for name in COS_BUCKET COS_REGION ESS_CALLBACK_KEY API_KEY_HASHES; do
    if [ -z "${!name}" ]; then echo "deploy: ${name} must be set (see README, Deploy)" >&2; exit 1; fi
  done
  npm run --silent build
  npm run --silent check:deploy
  npm run --silent deploy:preflight
  npx --yes --package "$COMPONENTS" components deploy
elif [ "$action" = "remove" ]; then
  npx --yes --package "$COMPONENTS" components remove
else
  echo "usage: scripts/deploy.sh deploy|remove" >&2
  exit 2
fi
