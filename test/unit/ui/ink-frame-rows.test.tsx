// Ink turns each frame into text row by row; patches/ink+6.8.0.patch makes it rebuild only the rows whose writes
// changed since the last frame and reuse the others' text (a keypress that moves a selection changes two rows). A
// reused row that is stale would show the old selection or the old scroll position: every frame here, after any
// sequence of moves, must be exactly the text the rows hold now, worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';

const ITEMS = Array.from({ length: 40 }, (_, i) =>
  i % 7 === 3 ? `日本-${i}` : `item-${String(i).padStart(2, '0')}`,
);
const HEIGHT = 6;
const CLIPPED = 'a-very-long-name-that-the-box-cuts-off';

function Rows({ selected, offset, note }: { selected: number; offset: number; note: string }) {
  return (
    <Box flexDirection="column">
      <Text>{`header ${note}`}</Text>
      <Box flexDirection="column" height={HEIGHT} overflow="hidden">
        {ITEMS.slice(offset, offset + HEIGHT + 2).map((label, i) => (
          <Box key={label} flexShrink={0}>
            <Text>{`${offset + i === selected ? '>' : ' '} ${label}`}</Text>
          </Box>
        ))}
      </Box>
      <Box width={12} overflowX="hidden">
        <Box width={CLIPPED.length} flexShrink={0}>
          <Text>{CLIPPED}</Text>
        </Box>
      </Box>
    </Box>
  );
}

/** The frame those props must draw: the header, the window's rows (the two past it clipped), the cut line. */
function expected(selected: number, offset: number, note: string): string {
  const rows = ITEMS.slice(offset, offset + HEIGHT).map(
    (label, i) => `${offset + i === selected ? '>' : ' '} ${label}`,
  );
  return [`header ${note}`, ...rows, CLIPPED.slice(0, 12)].join('\n');
}

describe('Ink frames built from the rows that changed', () => {
  it('shows every move of the selection and of the scroll position, with no row left over from before', () => {
    let selected = 0;
    let offset = 0;
    let note = 'a';
    const view = render(<Rows selected={selected} offset={offset} note={note} />);
    try {
      assert.equal(view.lastFrame(), expected(selected, offset, note));
      // Down through the list (scrolling once the selection passes the window), back up, and a header change.
      const moves = [...Array(30).fill(1), ...Array(12).fill(-1), 0];
      for (const [step, move] of moves.entries()) {
        selected += move;
        if (selected >= offset + HEIGHT) offset = selected - HEIGHT + 1;
        if (selected < offset) offset = selected;
        if (move === 0) note = 'b';
        view.rerender(<Rows selected={selected} offset={offset} note={note} />);
        assert.equal(view.lastFrame(), expected(selected, offset, note), `after move ${step + 1}`);
      }
    } finally {
      view.unmount();
    }
  });

  it('two consoles drawing in turn each show their own rows, never the other’s', () => {
    const wide = render(<Rows selected={2} offset={0} note="wide" />);
    const other = render(
      <Box width={30}>
        <Rows selected={3} offset={1} note="narrow" />
      </Box>,
    );
    try {
      wide.rerender(<Rows selected={4} offset={0} note="wide" />);
      assert.equal(wide.lastFrame(), expected(4, 0, 'wide'));
      assert.equal(other.lastFrame(), expected(3, 1, 'narrow'));
    } finally {
      wide.unmount();
      other.unmount();
    }
  });
});
