// @bank/ui/dialog — modal dialogs and the "are you sure?" confirmation before an action.
// Not a federation singleton (a dialog holds no state shared across apps): each app bundles it, so
// the sign-in page does not download it (docs/benchmarks/frontend.md). Core pieces (cn, Button)
// come from '@bank/ui' by name — a relative import would bundle a second copy of the core.
export { Dialog, type DialogProps } from './dialog.tsx';
export { ConfirmDialog, type ConfirmDialogProps } from './confirm-dialog.tsx';
