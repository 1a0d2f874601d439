// Validates every object of a rendered manifest (multi-document YAML) against the Kubernetes
// API's schemas as the kubernetes-models package ships them (one validator per apiVersion and
// kind). Exits 1 on an object that does not validate or whose kind it does not know.
const fs = require("fs");
const { parseAllDocuments } = require("yaml");

const file = process.argv[2];
let failed = 0;
let count = 0;
for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
  if (doc.errors.length) {
    console.log(`${file}: YAML error: ${doc.errors[0].message}`);
    failed++;
    continue;
  }
  const obj = doc.toJS();
  if (!obj) continue;
  count++;
  const where = `${obj.kind} ${obj.metadata && obj.metadata.name}`;
  // "apps/v1" -> kubernetes-models/apps/v1; "v1" (the core group) -> kubernetes-models/v1
  let Kind;
  try {
    Kind = require(`kubernetes-models/${obj.apiVersion}`)[obj.kind];
  } catch (e) {
    Kind = undefined;
  }
  if (!Kind) {
    console.log(`${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
    failed++;
    continue;
  }
  try {
    new Kind(obj).validate();
  } catch (e) {
    console.log(`${where}: ${e.message}`);
    failed++;
  }
}
console.log(`${file}: ${count} objects, ${failed} invalid`);
process.exit(failed === 0 && count > 0 ? 0 : 1);
