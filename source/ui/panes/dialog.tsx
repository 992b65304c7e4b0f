import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { terminalText } from '../../engine/terminal-text.js';
import type { Theme } from '../theme.js';

/**
 * A dialog in place of the panes: a double border and a title, so it reads as on top without colour. The title
 * carries app names and is no segment, so it is made terminal-safe here (see terminal-text.ts).
 */
export function Dialog({
  title,
  width,
  height,
  theme,
  children,
}: {
  title: string;
  width: number;
  height: number;
  theme: Theme;
  children: ReactNode;
}) {
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="double"
      borderColor={theme.focusColor}
      overflowY="hidden"
    >
      <Text bold wrap="truncate-end" color={theme.focusColor}>
        {terminalText(title)}
      </Text>
      {children}
    </Box>
  );
}
