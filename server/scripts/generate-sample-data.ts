/**
 * Writes `server/src/external/sample/shared-resources.json`: the embedded sample of the external dataset
 * (served when EXTERNAL_MONGODB_URI is unset). Deterministic — a seeded PRNG and fixed dates —
 * so re-running it changes nothing unless this script changes. Run: `pnpm exec tsx scripts/generate-sample-data.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SAMPLE_RESOURCE_KINDS, sharedResourceSchema, type SharedResource } from '@outpost/shared';

// Enough for the end-to-end scroll test (5,000 rows) while the file stays under ~1.5 MB.
const COUNT = 5000;
const SEED = 0x0_07_90_57;
const FROM = Date.UTC(2019, 0, 1);
const TO = Date.UTC(2026, 9, 1);

/** mulberry32: tiny, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const some = <T>(xs: readonly T[], n: number): T[] => [
  ...new Set(Array.from({ length: n }, () => pick(xs))),
];

const TEAMS = [
  'Field Operations',
  'Logistics',
  'Safety',
  'Engineering',
  'Finance',
  'People',
  'Procurement',
  'Quality',
  'Sales',
  'Support',
  'Legal',
  'IT',
];
const TOPICS = [
  'onboarding',
  'incident response',
  'site survey',
  'equipment checkout',
  'quarterly planning',
  'vendor review',
  'travel',
  'expenses',
  'procurement',
  'risk assessment',
  'maintenance',
  'inventory',
  'customer visit',
  'handover',
  'audit',
  'training',
  'budget',
  'hiring',
  'first aid',
  'data retention',
  'shift planning',
  'fleet',
  'warehouse',
  'returns',
  'permits',
];
const REGIONS = [
  'North',
  'South',
  'East',
  'West',
  'Central',
  'Coastal',
  'Highlands',
  'Metro',
  'Lakeside',
  'Valley',
];
const LANGS = ['en', 'en', 'en', 'fr', 'de', 'es', 'pt', 'nl'];
const TAGS = [
  'approved',
  'draft',
  'archived',
  'mandatory',
  'reference',
  'checklist',
  'how-to',
  'policy',
  'form',
  'internal',
  'customer-facing',
  'offline-ready',
  'printable',
  'legacy',
];
const EQUIPMENT = [
  'Cordless drill',
  'Laser level',
  'Thermal camera',
  'Satellite phone',
  'Generator 3 kW',
  'Ladder 4 m',
  'Pallet jack',
  'Label printer',
  'Rugged tablet',
  'GPS receiver',
  'Moisture meter',
  'Torque wrench',
  'Headlamp kit',
  'First-aid kit',
  'Two-way radio set',
  'Drone',
  'Multimeter',
  'Pressure washer',
];
const BRANDS = [
  'Makita',
  'Bosch',
  'Fluke',
  'Garmin',
  'Honda',
  'Zebra',
  'DeWalt',
  'Motorola',
  'Hilti',
  'FLIR',
  'Milwaukee',
  'Leica',
];
const VENDOR_WORDS = [
  'Northwind',
  'Bluepeak',
  'Ironbridge',
  'Silverline',
  'Greenfield',
  'Redwood',
  'Summit',
  'Harbor',
  'Keystone',
  'Pioneer',
  'Evergreen',
  'Brightwater',
  'Stonegate',
  'Crestview',
];
const VENDOR_KINDS = [
  'Supplies',
  'Logistics',
  'Rentals',
  'Catering',
  'Security',
  'Cleaning',
  'Telecom',
  'Print',
  'Fuel',
  'Medical',
];
const SITES = [
  'Depot',
  'Warehouse',
  'Field office',
  'Yard',
  'Training centre',
  'Clinic',
  'Workshop',
];
const FORMATS = ['pdf', 'docx', 'xlsx', 'csv', 'md', 'pptx'];
const KINDS = SAMPLE_RESOURCE_KINDS;
type Kind = (typeof KINDS)[number];

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/(^-|-$)/g, '');

function nameFor(kind: Kind): string {
  switch (kind) {
    case 'document':
      return `${title(pick(TOPICS))} policy — ${pick(REGIONS)} region`;
    case 'template':
      return `${title(pick(TOPICS))} ${pick(['checklist', 'form', 'report', 'agenda', 'log'])} template`;
    case 'dataset':
      return `${title(pick(TOPICS))} records ${int(2019, 2026)} (${pick(REGIONS)})`;
    case 'guide':
      return `How to: ${pick(TOPICS)} ${pick(['for new staff', 'in the field', 'step by step', 'offline', 'on a budget', 'safely'])}`;
    case 'equipment':
      return `${pick(EQUIPMENT)} — ${pick(BRANDS)} #${int(100, 999)}`;
    case 'vendor':
      return `${pick(VENDOR_WORDS)} ${pick(VENDOR_KINDS)} ${pick(['Ltd', 'Inc.', 'GmbH', 'S.A.', 'Co.'])}`;
    case 'location':
      return `${pick(REGIONS)} ${pick(SITES)} ${int(1, 40)}`;
  }
}

function dataFor(kind: Kind, name: string): Record<string, unknown> {
  const owner = pick(TEAMS);
  const base: Record<string, unknown> = {
    kind,
    owner,
    tags: some(TAGS, int(1, 3)),
  };
  if (rand() < 0.4) {
    Object.assign(base, {
      note: pick([
        'Reviewed yearly.',
        'Reviewed quarterly.',
        'Updated on change.',
        'Read-only copy of the master.',
        'Ask the owner before sharing outside the team.',
      ]),
    });
  }
  switch (kind) {
    case 'document':
    case 'template':
    case 'guide': {
      const format = pick(FORMATS);
      return {
        ...base,
        format,
        language: pick(LANGS),
        version: `${int(1, 6)}.${int(0, 9)}`,
        pages: int(1, 80),
        url: `https://library.example.com/${kind}s/${slug(name)}.${format}`,
      };
    }
    case 'dataset':
      return {
        ...base,
        format: pick(['csv', 'parquet', 'xlsx']),
        rows: int(120, 250_000),
        sizeBytes: int(10_000, 90_000_000),
        license: pick(['internal', 'CC-BY-4.0', 'ODbL']),
      };
    case 'equipment':
      return {
        ...base,
        serial: `SN-${int(100000, 999999)}`,
        condition: pick(['new', 'good', 'fair', 'needs repair']),
        location: `${pick(REGIONS)} ${pick(SITES)}`,
        bookable: rand() < 0.7,
      };
    case 'vendor':
      return {
        ...base,
        contact: `orders@${slug(name.split(' ').slice(0, 2).join(' '))}.example.com`,
        phone: `+1-555-${int(100, 999)}-${int(1000, 9999)}`,
        rating: int(1, 5),
        preferred: rand() < 0.3,
      };
    case 'location':
      return {
        ...base,
        address: `${int(1, 999)} ${pick(['Harbour', 'Mill', 'Station', 'Quarry', 'Church', 'Market'])} Road`,
        lat: Math.round((35 + rand() * 20) * 1e5) / 1e5,
        lng: Math.round((-120 + rand() * 40) * 1e5) / 1e5,
        openHours: pick(['07:00–15:00', '08:00–17:00', '24/7', '09:00–13:00']),
      };
  }
}

/** Ids shaped like MongoDB ObjectIds (creation second + random bytes), so id order ≈ age order. */
function objectIdHex(createdAtMs: number): string {
  const secs = Math.floor(createdAtMs / 1000)
    .toString(16)
    .padStart(8, '0');
  let rest = '';
  for (let i = 0; i < 16; i++) rest += Math.floor(rand() * 16).toString(16);
  return secs + rest;
}

const records: SharedResource[] = [];
for (let i = 0; i < COUNT; i++) {
  const kind = pick(KINDS);
  const createdAt = FROM + Math.floor(rand() * (TO - FROM));
  const name = nameFor(kind);
  records.push(
    sharedResourceSchema.parse({
      id: objectIdHex(createdAt),
      name,
      data: dataFor(kind, name),
      createdAt: new Date(createdAt).toISOString(),
    }),
  );
}
records.sort((a, b) => (a.id < b.id ? -1 : 1));

const out = fileURLToPath(new URL('../src/external/sample/shared-resources.json', import.meta.url));
// One record per line: readable diffs, still valid JSON.
writeFileSync(out, `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
console.log(`wrote ${records.length} shared resources to ${out}`);
