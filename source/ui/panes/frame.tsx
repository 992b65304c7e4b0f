import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { terminalText } from '../../engine/terminal-text.js';
import type { PaneGeometry } from '../layout.js';
import type { Theme } from '../theme.js';

export interface FrameProps {
  title: string;
  focused: boolean;
  geometry: PaneGeometry;
  /** Wide layout: a border, double on the focused pane so focus reads without colour. */
  bordered: boolean;
  theme: Theme;
  children: ReactNode;
}

/**
 * A pane's box and title line; the content below it is the pane's own. The title carries app names and the filter
 * and is no segment, so it is made terminal-safe here (see terminal-text.ts).
 */
export function Frame({ title, focused, geometry, bordered, theme, children }: FrameProps) {
  return (
    <Box
      flexDirection="column"
      width={geometry.width}
      height={geometry.height}
      overflowY="hidden"
      borderStyle={bordered ? (focused ? 'double' : 'single') : undefined}
      borderColor={focused ? theme.focusColor : theme.color('muted')}
    >
      <Text bold wrap="truncate-end" color={focused ? theme.focusColor : undefined}>
        {terminalText(title)}
      </Text>
      {children}
    </Box>
  );
}
