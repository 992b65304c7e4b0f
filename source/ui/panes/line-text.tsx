import { Text } from 'ink';
import type { Line } from '../presentation/line.js';
import type { Theme } from '../theme.js';

/**
 * One screen line from presentation segments, as a single <Text> holding the painted string (see paint.ts); never
 * wraps, so a long line cannot push the layout around.
 */
export function LineText({
  line,
  theme,
  selected = false,
}: {
  line: Line;
  theme: Theme;
  selected?: boolean;
}) {
  // Ink gives an empty text no height; a blank line must still take its row.
  const text = theme.paint(line) || ' ';
  return (
    <Text wrap="truncate-end" inverse={selected && theme.inverseSelection}>
      {text}
    </Text>
  );
}
