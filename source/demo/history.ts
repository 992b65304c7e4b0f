// The sample repository's history: each step copies some files from demo/gadgetgrove, optionally in an earlier form,
// and lists the apps registered so far in driftdeck.yaml. After the last step the tree equals the sample folder.
import { isMap, isSeq, parseDocument } from 'yaml';

export interface HistoryStep {
  message: string;
  /** Files or folders of the sample, relative to its root, copied as they are. */
  copy: string[];
  /** Earlier forms: file -> pairs of [text in the sample, text at this step], each expected exactly once. */
  earlier?: Record<string, Array<[string, string]>>;
  /** Apps listed in driftdeck.yaml after this step. */
  apps: string[];
  /** How long before now the commit was made. */
  hoursAgo: number;
}

export const DEMO_HISTORY: HistoryStep[] = [
  {
    message: 'Start the GadgetGrove deploy repo',
    copy: ['README.md'],
    apps: [],
    hoursAgo: 150,
  },
  {
    message: 'Add backend service',
    copy: ['apps/backend'],
    earlier: {
      'apps/backend/deployment.yaml': [
        [
          'initialDelaySeconds: 5\n            periodSeconds: 5',
          'initialDelaySeconds: 20\n            periodSeconds: 10',
        ],
      ],
    },
    apps: ['backend'],
    hoursAgo: 147,
  },
  {
    message: 'Add frontend (kustomize)',
    copy: ['apps/frontend'],
    earlier: { 'apps/frontend/deployment.yaml': [['frontend:v2.3.1', 'frontend:v2.3.0']] },
    apps: ['backend', 'frontend'],
    hoursAgo: 122,
  },
  {
    message: 'Add cart chart',
    copy: ['apps/cart'],
    apps: ['backend', 'frontend', 'cart'],
    hoursAgo: 98,
  },
  {
    message: 'Tune backend readiness probe',
    copy: ['apps/backend/deployment.yaml'],
    apps: ['backend', 'frontend', 'cart'],
    hoursAgo: 51,
  },
  {
    message: 'Bump frontend to v2.3.1',
    copy: ['apps/frontend/deployment.yaml'],
    apps: ['backend', 'frontend', 'cart'],
    hoursAgo: 26,
  },
];

/** Applies the [sample, earlier] pairs to one file's text; a pair that no longer matches exactly once is an error. */
export function earlierForm(file: string, text: string, pairs: Array<[string, string]>): string {
  let out = text;
  for (const [now, before] of pairs) {
    const count = out.split(now).length - 1;
    if (count !== 1) {
      throw new Error(
        `demo history: expected ${JSON.stringify(now)} once in ${file}, found it ${count} times (was the sample edited?)`,
      );
    }
    out = out.replace(now, () => before);
  }
  return out;
}

/** driftdeck.yaml with only the named apps, keeping the file's comments and layout. */
export function configWithApps(text: string, names: string[]): string {
  const doc = parseDocument(text);
  const apps = doc.get('apps');
  if (!isSeq(apps)) throw new Error('demo history: driftdeck.yaml of the sample has no apps list');
  const known = apps.items.map((item) => (isMap(item) ? String(item.get('name')) : ''));
  for (const name of names) {
    if (!known.includes(name))
      throw new Error(`demo history: the sample's driftdeck.yaml has no app ${name}`);
  }
  if (known.every((name) => names.includes(name))) return text;
  apps.items = apps.items.filter((item) => isMap(item) && names.includes(String(item.get('name'))));
  return doc.toString();
}
