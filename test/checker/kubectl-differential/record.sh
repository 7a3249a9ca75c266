#!/usr/bin/env bash
# Re-records what kubectl decodes from each case: `kubectl label --local -f` decodes a file
# exactly as `kubectl apply -f` does, without a cluster. Writes cases/<case>.kubectl.json:
# {"kubectl": "<version>", "objects": [...]} (the added label removed) or {"error": "..."}.
# Usage: test/checker/kubectl-differential/record.sh   (needs kubectl, written with 1.32)
set -euo pipefail
cd "$(dirname "$0")/cases"
version="$(kubectl version --client -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).clientVersion.gitVersion))')"
for file in *.yaml *.json; do
  case "$file" in *.kubectl.json) continue ;; esac
  out="${file%.*}.kubectl.json"
  if stdout="$(kubectl label --local -f "$file" cdk8s-hardened-differential=recorded -o json 2>&1)"; then status=0; else status=$?; fi
  STATUS="$status" VERSION="$version" node -e '
    const text = require("fs").readFileSync(0, "utf8");
    const version = process.env.VERSION;
    if (process.env.STATUS !== "0") {
      process.stdout.write(JSON.stringify({ kubectl: version, error: text.trim().split("\n")[0] }, null, 2) + "\n");
      process.exit(0);
    }
    // kubectl prints one indented JSON object per decoded object, each opening at column 0.
    const objects = text.split(/^(?=\{)/m).filter((part) => part.trim() !== "").map((part) => JSON.parse(part));
    for (const object of objects) {
      const labels = object.metadata && object.metadata.labels;
      if (labels) {
        delete labels["cdk8s-hardened-differential"];
        if (Object.keys(labels).length === 0) delete object.metadata.labels;
      }
    }
    process.stdout.write(JSON.stringify({ kubectl: version, objects }, null, 2) + "\n");
  ' <<<"$stdout" > "$out"
done
