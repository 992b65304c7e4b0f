import { Text } from 'ink';
import { type Line, seg } from '../presentation/line.js';
import type { Theme } from '../theme.js';

/** One screen line from presentation segments; never wraps, so a long line cannot push the layout around. */
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
  const shown = line.every((segment) => segment.text === '') ? [seg(' ')] : line;
  return (
    <Text wrap="truncate-end" inverse={selected && theme.inverseSelection}>
      {shown.map((segment, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
        <Text key={index} color={theme.color(segment.tone)} bold={segment.bold}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
