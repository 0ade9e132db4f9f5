// Validates Kubernetes objects against the API's OpenAPI schemas with the npm package kubernetes-models (and
// @kubernetes-models/prometheus-operator for monitoring.coreos.com): reads a JSON array of objects from the file
// given as argument, prints one line per problem ("<kind>/<name>: <error>") and exits 1 when there is any.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let problems = 0;
for (const o of objects) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  const where = group === "monitoring.coreos.com"
    ? `@kubernetes-models/prometheus-operator/${group}/${version}/${o.kind}`
    : `kubernetes-models/${group ? group + "/" : ""}${version}/${o.kind}`;
  const name = `${o.kind}/${o.metadata?.name}`;
  let model;
  try {
    const mod = await import(where);
    model = mod[o.kind] ?? mod.default;
  } catch (e) {
    console.log(`${name}: no schema for ${o.apiVersion} ${o.kind} (${e.code ?? e.message})`);
    problems++;
    continue;
  }
  try {
    new model(o).validate();
  } catch (e) {
    console.log(`${name}: ${e.message}`);
    problems++;
  }
}
console.log(`${objects.length - problems} valid, ${problems} invalid`);
process.exit(problems === 0 ? 0 : 1);
