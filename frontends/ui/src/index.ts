// @bank/ui — the design system's core, shared by the shell and every remote (a federation singleton):
// what every page, the sign-in page included, renders with. Tables, lists and dialogs are in
// '@bank/ui/data' and '@bank/ui/dialog', bundled by the apps that use them.
export { cn } from './lib/cn.ts';
export { useDocumentTitle, APP_NAME } from './lib/document-title.ts';
export { applyTheme, resolveTheme, storedTheme, THEME_STORAGE_KEY, type ThemeChoice } from './lib/theme.ts';
export { Button, buttonClasses, type ButtonProps, type ButtonVariant, type ButtonSize } from './components/button.tsx';
export { Input, Textarea, Select } from './components/input.tsx';
export { Label, Field, type FieldProps } from './components/label.tsx';
export { Card, CardHeader, CardTitle, CardDescription, CardContent, CardFooter } from './components/card.tsx';
export { Alert, type AlertTone } from './components/alert.tsx';
export { Spinner, Skeleton, PageLoader } from './components/spinner.tsx';
export { ToastProvider, useToast, useDismissEarlierToasts, type ToastInput } from './components/toast.tsx';
export { PageHeader, Stat } from './components/page-header.tsx';
