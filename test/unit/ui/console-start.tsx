// Starting the real Console on ink-testing-library's terminal with a fake controller, for the console tests.
import { render } from 'ink-testing-library';
import { Console, type ConsoleProps } from '../../../source/ui/console.js';
import { FakeController } from './fake-controller.js';
import { tick, waitFor } from './harness.js';

export function startConsole(props: Partial<ConsoleProps> = {}, controller = new FakeController()) {
  const app = render(<Console controller={controller} sampleMs={20} {...props} />);
  const frame = app.lastFrame;
  return {
    ...app,
    controller,
    frame,
    see: (text: string | ((f: string) => boolean)) => waitFor(frame, text),
  };
}

/** The first frame is drawn before Ink's input listener is attached; wait for both. */
export async function ready(see: (text: string) => Promise<string>): Promise<void> {
  await see('backend');
  await tick(20);
}
