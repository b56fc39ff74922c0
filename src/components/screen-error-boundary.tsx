/**
 * Catches a screen (or a section of one) that failed to load or render, so the rest stays usable.
 * The usual cause is a screen chunk that could not be fetched while offline; any other error is a
 * fault of the screen itself, and the fallback is told which (`ScreenFailure`), so it does not send
 * the user to check a connection that is fine.
 */
import { Component, type ReactNode } from 'react';

/** `load`: the screen's code could not be fetched (offline); `render`: it failed while running. */
export type ScreenFailure = 'load' | 'render';

/**
 * A dynamic import that could not be fetched, as browsers word it: Chromium "Failed to fetch
 * dynamically imported module", Firefox "error loading dynamically imported module", Safari
 * "Importing a module script failed"; Vite's preload helper "Unable to preload CSS".
 */
const LOAD_FAILURE = /dynamically imported module|importing a module script failed|unable to preload css/i;

export function screenFailure(error: unknown): ScreenFailure {
  const message = error instanceof Error ? error.message : String(error);
  return LOAD_FAILURE.test(message) ? 'load' : 'render';
}

interface Props {
  /** Changing it (the route) clears the error: another screen may load fine. */
  resetKey: string;
  fallback(failure: ScreenFailure): ReactNode;
  children: ReactNode;
}

interface State {
  failed: ScreenFailure | null;
  key: string;
}

export class ScreenErrorBoundary extends Component<Props, State> {
  override state: State = { failed: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { failed: screenFailure(error) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.key ? null : { failed: null, key: props.resetKey };
  }

  override render(): ReactNode {
    if (this.state.failed) return this.props.fallback(this.state.failed);
    return this.props.children;
  }
}
