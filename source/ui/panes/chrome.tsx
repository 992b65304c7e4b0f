// The lines around the panes: header, tab bar (narrow layout), message or command line, and footer hints.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { terminalText } from '../../engine/terminal-text.js';
import type { Snapshot } from '../../engine/types.js';
import type { CommandId, Context, Keymap } from '../keymap.js';
import { headerLines } from '../presentation/header.js';
import { footerHints } from '../presentation/hints.js';
import { type Line, seg, type Tone } from '../presentation/line.js';
import { PANE_TITLES, PANES, type Pane, type StatusMessage } from '../state.js';
import type { Theme } from '../theme.js';
import { LineText } from './line-text.js';

export const Header = memo(function Header({
  snapshot,
  now,
  readonly,
  narrowed,
  theme,
}: {
  snapshot: Snapshot;
  now: number;
  readonly: boolean;
  /** The cluster `:ctx` narrowed a fleet's view to. */
  narrowed?: string | undefined;
  theme: Theme;
}) {
  const [first, second] = headerLines(snapshot, now, readonly, narrowed);
  return (
    <Box flexDirection="column">
      <LineText line={first} theme={theme} />
      <LineText line={second} theme={theme} />
    </Box>
  );
});

export const TabBar = memo(function TabBar({ focus, theme }: { focus: Pane; theme: Theme }) {
  const line: Line = [];
  PANES.forEach((pane, index) => {
    const label = `${index + 1} ${PANE_TITLES[pane]}`;
    // Brackets mark the open tab without colour.
    line.push(pane === focus ? seg(`[${label}]`, 'accent', true) : seg(` ${label} `, 'muted'), seg(' '));
  });
  line.push(seg(' Tab/1-4 switch', 'muted'));
  return <LineText line={line} theme={theme} />;
});

const MESSAGE_TONES: Record<StatusMessage['level'], Tone> = {
  info: 'info',
  progress: 'info',
  success: 'good',
  warning: 'warn',
  error: 'bad',
};

const MESSAGE_PREFIX: Record<StatusMessage['level'], string> = {
  info: '',
  progress: '',
  success: 'ok: ',
  warning: '',
  error: 'error: ',
};

/** The message line, or the `:` command line while it is open. */
export const MessageLine = memo(function MessageLine({
  message,
  command,
  theme,
}: {
  message?: StatusMessage;
  command?: string;
  theme: Theme;
}) {
  if (command !== undefined) return <Text wrap="truncate-start">{`:${terminalText(command)}_`}</Text>;
  if (!message) return <Text> </Text>;
  const text = `${MESSAGE_PREFIX[message.level]}${message.text}`;
  return (
    <LineText line={[seg(text, MESSAGE_TONES[message.level], message.level === 'error')]} theme={theme} />
  );
});

export const Footer = memo(function Footer({
  keymap,
  context,
  width,
  theme,
  hidden,
}: {
  keymap: Keymap;
  context: Context;
  width: number;
  theme: Theme;
  /** Commands of the context that do nothing now (see `unavailable`). */
  hidden: readonly CommandId[];
}) {
  return <LineText line={footerHints(keymap, context, width, hidden)} theme={theme} />;
});
