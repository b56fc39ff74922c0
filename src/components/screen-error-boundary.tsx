/**
 * Catches a screen (or a section of one) that failed to load or render, so the rest stays usable.
 * The usual cause is a screen chunk that could not be fetched while offline.
 */
import { Component, type ReactNode } from 'react';

interface Props {
  /** Changing it (the route) clears the error: another screen may load fine. */
  resetKey: string;
  fallback(): ReactNode;
  children: ReactNode;
}

export class ScreenErrorBoundary extends Component<Props, { failed: boolean; key: string }> {
  override state = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromError(): Partial<{ failed: boolean }> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: Props, state: { failed: boolean; key: string }) {
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  override render(): ReactNode {
    if (this.state.failed) return this.props.fallback();
    return this.props.children;
  }
}
