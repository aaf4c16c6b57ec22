// @bank/ui — the design system shared by the shell and every remote (a federation singleton).
export { cn } from './lib/cn.ts';
export { useDocumentTitle, APP_NAME } from './lib/document-title.ts';
export { applyTheme, resolveTheme, storedTheme, THEME_STORAGE_KEY, type ThemeChoice } from './lib/theme.ts';
export { Button, buttonClasses, type ButtonProps, type ButtonVariant, type ButtonSize } from './components/button.tsx';
export { Input, Textarea, Select } from './components/input.tsx';
export { Label, Field, type FieldProps } from './components/label.tsx';
export { Card, CardHeader, CardTitle, CardDescription, CardContent, CardFooter } from './components/card.tsx';
export { Table, THead, TBody, TR, TH, TD } from './components/table.tsx';
export { Badge, type BadgeTone } from './components/badge.tsx';
export { Alert, type AlertTone } from './components/alert.tsx';
export { Spinner, Skeleton, PageLoader } from './components/spinner.tsx';
export { EmptyState } from './components/empty-state.tsx';
export { Pagination, useCursorPages, type CursorPaginationProps } from './components/pagination.tsx';
export { Dialog, type DialogProps } from './components/dialog.tsx';
export { Tabs, type TabItem } from './components/tabs.tsx';
export { ToastProvider, useToast, useDismissEarlierToasts, type ToastInput } from './components/toast.tsx';
export { PageHeader, Stat } from './components/page-header.tsx';
export { StatusBadge } from './components/status-badge.tsx';
