import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button } from '@bank/ui';
import { bus, reportError } from '@bank/platform';

interface Props {
  name: string;
  label: string;
  onRetry: () => void;
  children: ReactNode;
}

// A failed dynamic import / federation load (network, 404, remoteEntry without the module).
const isLoadFailure = (error: Error) =>
  /dynamically imported module|Failed to fetch|Importing a module script failed|Loading chunk|remoteEntry|Cannot find module/i.test(error.message);

/**
 * Catches a remote that cannot load (404, network, a crash while rendering) and keeps the rest of
 * the shell working: header, navigation and the other remotes stay usable.
 */
export class RemoteBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    bus.emit('remote:failed', { name: this.props.name, error: error.message });
    // One Sentry report per failure, telling a remote that could not load from one that crashed.
    reportError(error, { kind: isLoadFailure(error) ? 'remote-load' : 'render', remote: this.props.name });
    console.warn('remote failed to load', { remote: this.props.name, error: error.message, stack: info.componentStack });
  }

  retry = () => {
    this.setState({ error: null });
    this.props.onRetry();
  };

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div data-testid="remote-fallback" data-remote-fallback={this.props.name} className="mx-auto flex max-w-xl flex-col gap-4 py-10">
        <Alert tone="warning" title={`${this.props.label} is temporarily unavailable`}>
          This part of the app could not be loaded. The rest of the app still works — you can try again or come back in a moment.
        </Alert>
        <div>
          <Button variant="outline" onClick={this.retry}>Try again</Button>
        </div>
      </div>
    );
  }
}
