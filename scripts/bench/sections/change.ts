// Ten objects change in Git (4 ConfigMaps, 3 Services, 3 Deployment images) and in kubectl's file: both tools diff
// again, each against the namespace it synced, so each shows exactly ten differences.

import type { BenchContext } from '../context.js';
import { writeKubectlFiles } from '../context.js';
import { DRIFTDECK_NS } from '../manifests.js';
import { pushFiles } from '../repo.js';
import { settle } from '../settle.js';
import { measureDiffs } from './diff.js';

export async function diffChanged(ctx: BenchContext): Promise<void> {
  const ten = ctx.manifests.applyTenChanges();
  const files = new Map(ten.map((o) => [o.file, ctx.manifests.text(o, DRIFTDECK_NS)]));
  await pushFiles(ctx.repo, files, `bench: change ${ten.length} objects`);
  await writeKubectlFiles(ctx);
  await settle(ctx);
  await measureDiffs(ctx, 'diff, 10 changed of 1,000', ten.length);
}
