import type { ReactNode } from 'react';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, useDocumentTitle } from '@bank/ui';

export function AuthCard({ title, description, children, footer }: { title: string; description: string; children: ReactNode; footer: ReactNode }) {
  useDocumentTitle(title);
  return (
    <Card className="w-full max-w-md">
      <CardHeader className="items-center gap-2 pt-8 text-center">
        <div aria-hidden className="flex h-11 w-11 items-center justify-center rounded-xl bg-primary text-lg font-bold text-primary-foreground">N</div>
        <h1 tabIndex={-1} className="text-xl font-semibold tracking-tight outline-none">{title}</h1>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="px-8">{children}</CardContent>
      <CardFooter className="justify-center text-sm text-muted-foreground">{footer}</CardFooter>
    </Card>
  );
}
