// Types of the modules the remotes expose (their src/expose/ contract). The federation plugin
// resolves these specifiers at run time from the URLs in /config.json.
declare module 'auth/App' {
  import type { ComponentType } from 'react';
  const AuthApp: ComponentType;
  export default AuthApp;
}
declare module 'payments/App' {
  import type { ComponentType } from 'react';
  const PaymentsApp: ComponentType;
  export default PaymentsApp;
}
declare module 'admin/App' {
  import type { ComponentType } from 'react';
  const AdminApp: ComponentType;
  export default AdminApp;
}

interface Window {
  /** Remote entry URLs from /config.json, read by the promise-based remotes (see @bank/vite-config). */
  __BANK_REMOTE_URLS__?: Record<string, string>;
}
