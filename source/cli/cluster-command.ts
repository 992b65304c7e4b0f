import { clusterStatus, ensureTools, startCluster, stopCluster } from '../localcluster/index.js';
import type { Out } from './commands.js';
import { UsageError } from './wire.js';

const progress = (out: Out) => (line: string) => out.error(line);

export async function clusterCommand(
  action: string | undefined,
  opts: { name: string; nodes: number },
  out: Out,
): Promise<number> {
  switch (action) {
    case 'tools': {
      const tools = await ensureTools({ onProgress: progress(out) });
      out.write(out.json ? JSON.stringify(tools, null, 2) : `tools are in ${tools.binDir}`);
      return 0;
    }
    case 'up': {
      const tools = await ensureTools({ onProgress: progress(out) });
      const info = await startCluster({
        name: opts.name,
        tools,
        nodes: opts.nodes,
        reuse: true,
        onProgress: progress(out),
      });
      out.write(
        out.json
          ? JSON.stringify(info, null, 2)
          : `cluster ${info.name} is up\n  export KUBECONFIG=${info.kubeconfig}\n  context: ${info.context}\n  pod logs (served by kwok, by container name): ${info.podLogs}`,
      );
      return 0;
    }
    case 'down': {
      const tools = await ensureTools({ onProgress: progress(out) });
      await stopCluster(opts.name, tools, { onProgress: progress(out) });
      out.write(`cluster ${opts.name} deleted`);
      return 0;
    }
    case 'status': {
      const tools = await ensureTools({ onProgress: progress(out) });
      const s = await clusterStatus(tools, opts.name);
      if (out.json) out.write(JSON.stringify(s, null, 2));
      else
        out.write(
          s.exists
            ? `cluster ${s.name}: ${s.reachable ? `running, ${s.readyNodes} nodes Ready` : 'not answering'}\n  kubeconfig: ${s.kubeconfig}`
            : `cluster ${s.name} does not exist (driftdeck cluster up)`,
        );
      return s.exists && s.reachable ? 0 : 1;
    }
    default:
      throw new UsageError('driftdeck cluster up | down | status | tools [--name <name>] [--nodes N]');
  }
}
