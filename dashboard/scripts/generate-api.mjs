// Regenerates the dashboard's API types from the orchestrator's OpenAPI description:
//   lib/api/openapi.json  the description as served at /v3/api-docs (without "servers", which names
//                         the port it was fetched from); an orchestrator test checks it is current
//   lib/api/schema.d.ts   its TypeScript types, by openapi-typescript
// Usage: npm run api:generate   (MAMOS_API_URL, default http://localhost:4000, names the orchestrator)
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const base = (process.env.MAMOS_API_URL ?? "http://localhost:4000").replace(/\/+$/, "");
const response = await fetch(`${base}/v3/api-docs`);
if (!response.ok) {
  console.error(`GET ${base}/v3/api-docs answered ${response.status}; is the orchestrator running there?`);
  process.exit(1);
}
const spec = await response.json();
delete spec.servers;
const specFile = join(root, "lib/api/openapi.json");
writeFileSync(specFile, JSON.stringify(spec, null, 2) + "\n");
execFileSync(join(root, "node_modules/.bin/openapi-typescript"), [specFile, "-o", join(root, "lib/api/schema.d.ts")], {
  stdio: "inherit",
});
console.log(`Wrote lib/api/openapi.json and lib/api/schema.d.ts from ${base}/v3/api-docs`);
