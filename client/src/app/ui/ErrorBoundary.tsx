import { Component, type ErrorInfo, type ReactNode } from 'react';
import { reportClientError } from './report-error';

interface Props {
  /** What failed, in the user's words ("the project list"). */
  what: string;
  children: ReactNode;
  /** Changing this resets the boundary (e.g. the route). */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

/** A screen that throws shows a retry panel instead of blanking the whole app. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    reportClientError(error, {
      where: this.props.what,
      componentStack: info.componentStack ?? undefined,
    });
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" className="panel error-panel">
        <h2>Something went wrong showing {this.props.what}</h2>
        <p className="muted">{error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
