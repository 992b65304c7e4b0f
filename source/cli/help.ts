export const HELP = `
  driftdeck: a keyboard-driven GitOps console for Kubernetes

  Usage
    $ driftdeck [console] --repo <url> [--context <ctx>]   open the console (status table when not a terminal)
    $ driftdeck demo                                       local cluster + sample shop repo, then the console
    $ driftdeck status  [--repo <url>]                     sync and health of every app (exit 1 unless all
                                                           good; Unmanaged apps are not counted; with
                                                           --context a,b a CLUSTER column, exit 2 when a
                                                           cluster cannot be reached)
    $ driftdeck diff    <app>                              desired vs live, Secret values masked (exit 1 on changes)
    $ driftdeck sync    <app> [--prune] [--dry-run] [--resource kind/name] [--force-conflicts] [--no-wait]
    $ driftdeck history <app>                              commits touching the app, * marks the deployed one
    $ driftdeck revert  <sha> [--yes] [--sync <app>]       git revert, pushed to the branch (never forced);
                                                           --sync then syncs <app> at the revert commit
    $ driftdeck tree    <app>                              what the app renders and owns (ReplicaSets, Pods,
                                                           EndpointSlices, Jobs), with health and failing reasons
    $ driftdeck events  <app> [kind/name]                  Kubernetes events of the app's objects (or of one
                                                           object and what it owns), newest first
    $ driftdeck logs    <app> <pod>[/<container>] [--follow] [--previous] [--tail N]
                                                           a pod's log; only pods in the app's tree
    $ driftdeck agent [--metrics-address host:port]        the watch loop without a screen, one JSON line per event;
                                                           with the address, /healthz, /readyz and Prometheus
                                                           /metrics too (127.0.0.1:9464 keeps them on this host)
      [--webhook-secret-file <file>]                       and POST /api/webhook there: a signed push from
                                                           GitHub, GitLab, Gitea or Bitbucket polls at once
                                                           (secret also from DRIFTDECK_WEBHOOK_SECRET)
      [--id <dns-label>] [--lease-duration <s>]            replicas share the apps by Leases: this one's id
                                                           (default host-pid), lease duration (default 15)
      [--cluster-name <name>]                              run only the apps naming this cluster (default: those
                                                           naming none); also DRIFTDECK_CLUSTER_NAME and
                                                           \`agent install --export --cluster-name\`
    $ driftdeck cluster up|down|status|tools [--name n]    the local kwok cluster built from Go modules

  Source
    --repo <url>         Git remote: path, file://, ssh or https (uses your git credentials)
    --branch <name>      branch to track (default main)
    --path <dir>         one ad-hoc app at this folder instead of driftdeck.yaml (with --app, --namespace)
                         with neither, a repository without driftdeck.yaml is searched for Argo CD
                         Applications and Flux Kustomizations and HelmReleases (said once, on stderr)
    --interval <s>       seconds between polls of the remote (default 10)
    --concurrent-syncs <n>  auto-syncs run at once, the others wait their turn (default 10)
    credentials in an https URL reach git through its environment, never its command line
    DRIFTDECK_GIT_TIMEOUT=<s>  give up on a Git remote silent this long (default 30)

  Cluster
    --kubeconfig <file>  kubeconfig (default $KUBECONFIG or ~/.kube/config)
    --context <name>     kubeconfig context; a comma list (a,b,c) opens several clusters in one console
                         (and \`status\`), the first being the default cluster for apps naming no \`cluster:\`
    --state-namespace <ns>  where sync history and leases are kept (default driftdeck-system); one you may
                         write, when your rights end at your team's namespace

  Output and safety
    --output, -o         table | json
    --readonly           refuse sync, revert and auto-sync changes
    --yes, -y            revert without asking
    --timeout <s>        how long sync waits for Healthy, and for each wave and hook (default 300)

  Examples
    $ driftdeck demo
    $ driftdeck --repo git@github.com:acme/deploy.git --context prod --readonly
    $ driftdeck status --repo ./deploy -o json
    $ driftdeck --repo ./deploy --context prod-eu,prod-us
    $ driftdeck diff backend --repo ./deploy
    $ driftdeck sync backend --repo ./deploy --prune --dry-run
    $ driftdeck sync backend --repo ./deploy --resource Deployment/backend
    $ driftdeck history backend --repo ./deploy
    $ driftdeck tree backend --repo ./deploy -o json
    $ driftdeck events backend deployment/backend --repo ./deploy
    $ driftdeck logs backend backend-7d9f8c6b5-abc12 --tail 100 --follow --repo ./deploy
    $ driftdeck revert 3f2a9c1 --repo ./deploy --yes
    $ driftdeck revert 3f2a9c1 --repo ./deploy --sync backend   (backend's auto-sync is off)
    $ driftdeck agent --repo ./deploy --interval 5 | jq .
    $ driftdeck cluster up && driftdeck cluster status
`;
