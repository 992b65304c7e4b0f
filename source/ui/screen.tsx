// Composition of the screen for the current layout. Panes get their geometry and data here and nothing else.
import { Box } from 'ink';
import type { Snapshot } from '../engine/types.js';
import { clusterOf, isFleet } from './fleet.js';
import { activeContext, unavailable } from './input.js';
import type { InspectView } from './inspect-view.js';
import type { Keymap } from './keymap.js';
import { dialogRows, inspectColumns, inspectRows, type Layout } from './layout.js';
import { AppList } from './panes/app-list.js';
import { Footer, Header, MessageLine, TabBar } from './panes/chrome.js';
import { DiffView } from './panes/diff-view.js';
import { HelpOverlay } from './panes/help-overlay.js';
import { History } from './panes/history-pane.js';
import { Inspector } from './panes/inspector.js';
import { MessageDialog } from './panes/message-dialog.js';
import { RevertConfirm } from './panes/revert-confirm.js';
import { RolloutLog } from './panes/rollout-log.js';
import { SyncConfirm } from './panes/sync-confirm.js';
import type { Pane, ViewState } from './state.js';
import type { Theme } from './theme.js';
import type { ConsoleView } from './view.js';

export interface ScreenProps {
  layout: Layout;
  state: ViewState;
  view: ConsoleView;
  inspect: InspectView;
  snapshot: Snapshot;
  now: number;
  readonly: boolean;
  keymap: Keymap;
  theme: Theme;
}

function PaneView({ pane, props }: { pane: Pane; props: ScreenProps }) {
  const { layout, state, view, theme, now } = props;
  const common = {
    geometry: layout.panes[pane],
    focused: state.focus === pane,
    bordered: layout.mode === 'wide',
    theme,
  };
  const app = view.selected?.name;
  const { snapshot } = props;
  const cluster = view.selected && isFleet(snapshot) ? clusterOf(view.selected, snapshot) : undefined;
  switch (pane) {
    case 'apps':
      return (
        <AppList
          {...common}
          apps={view.apps}
          groups={view.groups}
          clusters={props.snapshot.clusters}
          total={view.total}
          cursor={view.cursor}
          filter={state.filter}
          editing={state.filterEditing}
          now={now}
        />
      );
    case 'diff':
      return (
        <DiffView
          {...common}
          app={app}
          cluster={cluster}
          owner={view.selected?.owner}
          diff={view.diff}
          top={state.diff.top}
        />
      );
    case 'log':
      return (
        <RolloutLog
          {...common}
          app={app}
          cluster={cluster}
          lines={view.log}
          top={state.log.top}
          follow={state.log.follow}
        />
      );
    case 'history':
      return (
        <History
          {...common}
          app={app}
          cluster={cluster}
          entries={view.history}
          cursor={view.historyCursor}
          now={now}
        />
      );
  }
}

/** In a fleet, the cluster of the app a dialog or the resources view acts on. */
function appCluster(snapshot: Snapshot, name: string): string | undefined {
  const app = isFleet(snapshot) ? snapshot.apps.find((a) => a.name === name) : undefined;
  return app ? clusterOf(app, snapshot) : undefined;
}

function ModalView({ props }: { props: ScreenProps }) {
  const { layout, state, theme } = props;
  const size = {
    width: Math.min(layout.columns, 100),
    height: layout.bodyHeight,
    rows: dialogRows(layout),
    theme,
  };
  const modal = state.modal;
  switch (modal?.kind) {
    case 'help':
      return (
        <HelpOverlay
          {...size}
          keymap={props.keymap}
          hidden={unavailable(state, isFleet(props.snapshot))}
          top={modal.top}
        />
      );
    case 'sync':
      return (
        <SyncConfirm
          {...size}
          app={modal.app}
          cluster={appCluster(props.snapshot, modal.app)}
          revision={props.snapshot.apps.find((a) => a.name === modal.app)?.targetRevision}
          appState={modal.diff ? props.snapshot.apps.find((a) => a.name === modal.app) : undefined}
          plan={modal.plan}
          prune={modal.prune}
          dryRun={modal.dryRun}
          cursor={modal.cursor}
          diff={modal.diff}
          resource={modal.resource}
          keymap={props.keymap}
        />
      );
    case 'revert':
      return (
        <RevertConfirm
          {...size}
          sha={modal.sha}
          detail={modal.detail}
          app={modal.app}
          keymap={props.keymap}
        />
      );
    case 'message':
      return <MessageDialog {...size} level={modal.level} title={modal.title} text={modal.text} />;
    default:
      return null;
  }
}

function Body({ props }: { props: ScreenProps }) {
  const { layout, state } = props;
  if (state.modal && state.modal.kind !== 'command') return <ModalView props={props} />;
  if (state.inspect) {
    const geometry = {
      width: layout.columns,
      height: layout.bodyHeight,
      rows: inspectRows(layout),
      columns: inspectColumns(layout),
    };
    return (
      <Inspector
        inspect={state.inspect}
        cluster={appCluster(props.snapshot, state.inspect.app)}
        view={props.inspect}
        geometry={geometry}
        keymap={props.keymap}
        theme={props.theme}
      />
    );
  }
  if (layout.mode === 'narrow') return <PaneView pane={state.focus} props={props} />;
  return (
    <Box flexDirection="row">
      <Box flexDirection="column" width={layout.leftWidth}>
        <PaneView pane="apps" props={props} />
        <PaneView pane="history" props={props} />
      </Box>
      <Box flexDirection="column">
        <PaneView pane="diff" props={props} />
        <PaneView pane="log" props={props} />
      </Box>
    </Box>
  );
}

export function Screen(props: ScreenProps) {
  const { layout, state, theme } = props;
  const command = state.modal?.kind === 'command' ? state.modal.text : undefined;
  return (
    <Box flexDirection="column" width={layout.columns}>
      <Header
        snapshot={props.snapshot}
        now={props.now}
        readonly={props.readonly}
        narrowed={state.cluster}
        theme={theme}
      />
      {layout.mode === 'narrow' ? <TabBar focus={state.focus} theme={theme} /> : null}
      <Box height={layout.bodyHeight} flexDirection="column" overflowY="hidden">
        <Body props={props} />
      </Box>
      <MessageLine message={state.message} command={command} theme={theme} />
      <Footer
        keymap={props.keymap}
        context={activeContext(state)}
        width={layout.columns}
        theme={theme}
        hidden={unavailable(state, isFleet(props.snapshot))}
      />
    </Box>
  );
}
